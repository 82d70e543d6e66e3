// The files `eventkit init` writes (besides the document and proto, which add-event's editors build).
// Paths and names here are the scaffold's layout; docs/ci.md and the README describe the same layout.
import { camelIdent } from '../codegen/input/naming.ts';

export const config = `${JSON.stringify(
  {
    asyncapi: ['asyncapi/*.{yaml,yml,json}'],
    protoRoots: ['contracts/proto'],
    output: {
      codegen: 'src',
      catalog: 'dist/catalog',
      pacts: 'contracts/pacts',
      results: 'contracts/verification-results.json',
    },
    codegen: { importExtension: '.js' },
    contracts: { providers: ['test/contracts/*.provider.ts'] },
  },
  null,
  2,
)}\n`;

export const bufYaml = `# buf module of the integration-event payloads: package = <context>.v<major>.
# A breaking change is a new package, never an edit in place (eventkit breaking checks it).
version: v2
lint:
  use:
    - STANDARD
breaking:
  # Payloads travel as protobuf binary and as the proto3 JSON view (contracts, catalog),
  # so field names are part of the contract as well as field numbers.
  use:
    - WIRE_JSON
`;

/** The document before its first event: service, owner, server and stream. */
export function asyncapiSkeleton(service: string): string {
  return `# The ${service} service: the events it sends and receives (docs: eventkit's docs/asyncapi-conventions.md).
# Add an event with: npx eventkit add event ${service}.v1.<Name>
asyncapi: 3.0.0
info:
  title: ${service}
  version: 1.0.0
  description: What the ${service} service does, in one or two sentences.
  x-eventkit-service: ${service}
  x-eventkit-context: ${service}
  x-eventkit-owner:
    team: ${service}
defaultContentType: application/protobuf
servers:
  local:
    host: localhost:4222
    protocol: nats
    description: Local NATS server with JetStream.
x-eventkit-stream:
  name: ${service.toUpperCase()}
  retention: limits
  storage: file
  maxAge: 7d
  duplicateWindow: 2m
  replicas: 1
channels: {}
operations: {}
components:
  messages: {}
`;
}

export const tsconfig = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2023'],
      types: ['node'],
      strict: true,
      skipLibCheck: true,
      outDir: 'dist',
      rootDir: 'src',
      sourceMap: true,
    },
    include: ['src'],
  },
  null,
  2,
)}\n`;

export function packageScripts(service: string): Record<string, string> {
  return {
    lint: 'eventkit lint',
    codegen: 'eventkit codegen',
    build: 'eventkit codegen && tsc',
    start: `node dist/${service}/main.js`,
    provision: 'eventkit provision',
    verify: 'eventkit verify',
    'can-i-deploy': `eventkit can-i-deploy --pacticipant ${service}`,
    catalog: 'eventkit catalog',
  };
}

export const gitignore = `node_modules/
dist/
`;

/** The service's domain code that builds what it publishes; the provider contract runs the same code. */
export function itemsModule(service: string): string {
  return `// What the ${service} service publishes when an item is created. The provider contract
// (test/contracts/${service}.provider.ts) runs this same code, so verification checks real output.
import type { ItemCreated } from './generated/types/${service}.v1.js';

/** The ItemCreated payload of a new item. */
export function itemCreated(itemId: string, at: Date = new Date()): ItemCreated {
  return { itemId, occurredAt: { seconds: Math.floor(at.getTime() / 1000), nanos: 0 } };
}
`;
}

/** A runnable service: consumes ItemCreated and publishes one (after \`npm run provision\`). */
export function mainModule(service: string, pascal: string): string {
  return `// The ${service} service: consumes ItemCreated through the generated handlers and publishes one through
// the generated publisher, then stops after the first event it consumed.
// Run: nats-server -js, then npm run provision && npm run build && npm start (NATS_URL picks the server).
import { createPublisher, createRouter, jetstreamTransport } from 'eventkit/runtime';
import { create${pascal}Publisher, register${pascal}Handlers } from './generated/index.js';
import { itemCreated } from './items.js';

const transport = jetstreamTransport({ name: '${service}' });
const router = createRouter({ transport, service: '${service}' });
const itemId = \`itm_\${Date.now()}\`;
let consumedFirst: () => void = () => {};
const consumed = new Promise<void>((resolve) => {
  consumedFirst = resolve;
});

register${pascal}Handlers(router, {
  async onItemCreated(event) {
    console.log(\`consumed \${event.type} \${event.payload.itemId} from \${event.subject}\`);
    if (event.payload.itemId === itemId) consumedFirst();
  },
});
await router.start();
const publisher = create${pascal}Publisher(createPublisher({ transport, source: '${service}' }));
const receipt = await publisher.publishItemCreated(itemCreated(itemId));
console.log(\`published ${service}.v1.ItemCreated \${itemId} (stream \${receipt.stream}, seq \${receipt.seq})\`);
await consumed;
await router.drain();
await transport.close();
`;
}

/** The provider contract skeleton \`eventkit verify\` loads (contracts.providers in eventkit.config.json). */
export function providerModule(service: string): string {
  return `// Provider contract of ${service} for \`eventkit verify\`: for each event type a consumer pact expects,
// run the service's real code and return the messages it would publish. Guide: eventkit's docs/providers.md.
import type { ProviderContract } from 'eventkit/contracts';
import type { Codec } from 'eventkit/runtime';
import { descriptors, ${camelIdent(service)}Envelopes } from '../../src/${service}/generated/index.js';
import { itemCreated } from '../../src/${service}/items.js';

export function createProviderContract(): ProviderContract {
  return {
    service: '${service}',
    // Provider states named in the pacts (\`given\`): put the service into that state.
    states: {},
    producers: {
      '${service}.v1.ItemCreated': async () => [${camelIdent(service)}Envelopes.publishItemCreated(itemCreated('itm_1'))],
    },
    codecFor: (type) =>
      Object.values(descriptors).find((descriptor) => descriptor.type === type)?.codec as Codec<unknown> | undefined,
  };
}
`;
}
