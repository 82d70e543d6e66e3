// Usage snippets for an event page: how to publish and subscribe with the generated code of
// `src/reference/<service>/generated` (names follow the codegen conventions: descriptor `<Name>V<major>`,
// payload type `<Name>`, publisher `create<Service>Publisher` with one method per send operation).
import type { EventModel, OperationModel } from '../model/types.ts';

const pascal = (id: string): string =>
  id
    .split(/[-_.]/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
const camel = (id: string): string => {
  const p = pascal(id);
  return p.charAt(0).toLowerCase() + p.slice(1);
};

function literal(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object')
    return typeof value === 'string'
      ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
      : String(value);
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, indent)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  const inner = `${indent}  `;
  const key = (k: string): string => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : `'${k}'`);
  return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${literal(v, inner)},`).join('\n')}\n${indent}}`;
}

export interface Snippets {
  readonly publish?: string;
  readonly subscribe?: string;
}

/** Namespace the generated index exports a proto package under: `orders.v1` → `ordersV1`. */
const packageNamespace = (pkg: string): string => camel(pkg.replace(/\./g, '-'));

/**
 * Snippets in the shape of `eventkit codegen` output: `create<Service>Publisher(publisher)` with one method per
 * send operation taking `(payload, params)`, `examples.<Name>V<major>.default(overrides)` builders, payload types under the package namespace (`ordersV1.OrderPlaced`),
 * and `router.on(<Name>V<major>, <service>Consumers.<operationId>, handler)` for receivers.
 */
export function usageSnippets(
  event: EventModel,
  sendOperation: OperationModel | undefined,
  receiver: { service: string; operation?: OperationModel } | undefined,
  codegenDir: string,
): Snippets {
  const descriptor = `${event.name}V${event.major}`;
  const ns = packageNamespace(event.package);
  const example = event.examples[0]?.payload;
  const key = event.partitionKey?.field ?? event.partitionKey?.parameter;
  const out: { publish?: string; subscribe?: string } = {};
  const producer = sendOperation?.service ?? event.producer;
  if (producer) {
    const method =
      sendOperation?.operationId ?? `publish${event.name}${event.major > 1 ? `V${event.major}` : ''}`;
    const publisher = camel(producer);
    const param = event.partitionKey?.parameter;
    // The generated `examples` builders decode the AsyncAPI example; overrides replace top-level fields.
    const override = Object.entries((example ?? {}) as Record<string, unknown>).find(
      ([name, value]) =>
        name !== key &&
        (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'),
    );
    const payload = example
      ? `examples.${descriptor}.default(${override ? `{ ${override[0]}: ${literal(override[1], '')} }` : ''})`
      : '{ /* … */ }';
    out.publish = [
      `// ${codegenDir}/${producer}/…`,
      `import { create${pascal(producer)}Publisher, ${example ? 'examples, ' : ''}type ${ns} } from './generated/index.ts';`,
      '',
      `const ${publisher} = create${pascal(producer)}Publisher(publisher); // the runtime's Publisher (JetStream or outbox)`,
      `const payload: ${ns}.${event.name} = ${payload};`,
      param && key
        ? `await ${publisher}.${method}(payload, { ${param}: payload.${key} });`
        : `await ${publisher}.${method}(payload);`,
    ].join('\n');
  }
  if (event.kind === 'event') {
    const who = receiver?.service ?? 'your-service';
    const handlerName =
      receiver?.operation?.operationId ?? `on${event.name}${event.major > 1 ? `V${event.major}` : ''}`;
    const fields = [key, ...event.payload.fields.map((f) => f.name).filter((n) => n !== key)]
      .filter(Boolean)
      .slice(0, 3);
    out.subscribe = [
      `// ${codegenDir}/${who}/…`,
      `import { ${descriptor}, ${camel(who)}Consumers } from './generated/index.ts';`,
      '',
      `router.on(${descriptor}, ${camel(who)}Consumers.${handlerName}, async (event, ctx) => {`,
      ...(fields.length > 0 ? [`  const { ${fields.join(', ')} } = event.payload;`] : []),
      '  // Runs once per event id (inbox); throw PermanentError to dead-letter.',
      '});',
    ].join('\n');
  }
  return out;
}
