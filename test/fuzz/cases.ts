// The fuzz cases: valid inputs of every format eventkit reads, mutated by a seeded generator, plus the named
// examples of issue #13. A case is data (files to write, a command line), so the runner can replay it by
// index after a restart and a failure names exactly what was run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { mutateJson, mutateProto, mutateText, mutateYaml } from './mutate.ts';
import { Rng } from './prng.ts';

export type Format =
  | 'asyncapi-yaml'
  | 'asyncapi-json'
  | 'proto'
  | 'pact-v4'
  | 'pact-v3'
  | 'config'
  | 'command-line'
  | 'named';

export interface FuzzCase {
  readonly name: string;
  readonly format: Format;
  /** Project-relative files written over the base project before the run; null deletes the file. */
  readonly files: Readonly<Record<string, string | null>>;
  /** The command line after `-C <project>` (or the whole command line with `ownCwd`). */
  readonly args: readonly string[];
  /** The arguments name the project folder themselves (`{project}` is replaced by its path). */
  readonly ownCwd?: boolean;
  /** The mutated input has lines: a finding (exit 1/2) must name `file:line`. */
  readonly hasLines: boolean;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
/** The base project: the mini shop (two services, protobuf payloads) with a V4 pact and an empty results matrix. */
export const miniShop = path.join(repoRoot, 'test/lint/fixtures/mini-shop');
const pactFixture = path.join(repoRoot, 'test/hostile/fixtures/billing-shop.json');

export const pactFile = 'contracts/pacts/billing-shop.json';
export const resultsFile = 'contracts/verification-results.json';
export const emptyResults = '{"schemaVersion":1,"pacts":[],"verifications":[]}\n';
/** Folders a command of the base project may write (its configured outputs and codegen's scratch folder). */
export const expectedOutputs = ['src/reference/', 'dist/catalog/', resultsFile, '.eventkit/'];

const read = (file: string) => readFileSync(file, 'utf8');

/** The base texts every mutation starts from. */
export function baseInputs() {
  const shopYaml = read(path.join(miniShop, 'asyncapi/shop.yaml'));
  const billingYaml = read(path.join(miniShop, 'asyncapi/billing.yaml'));
  const proto = read(path.join(miniShop, 'proto/shop/v1/events.proto'));
  const config = `${JSON.stringify(JSON.parse(read(path.join(miniShop, 'eventkit.config.json'))), null, 2)}\n`;
  const pactV4 = read(pactFixture);
  const v4 = JSON.parse(pactV4) as {
    consumer: unknown;
    provider: unknown;
    interactions: { description: string; contents: { content: unknown }; metadata: unknown }[];
  };
  const pactV3 = `${JSON.stringify(
    {
      consumer: v4.consumer,
      provider: v4.provider,
      messages: v4.interactions.map((i) => ({
        description: i.description,
        contents: i.contents.content,
        metaData: i.metadata,
        providerStates: [],
      })),
      metadata: { pactSpecification: { version: '3.0.0' } },
    },
    null,
    2,
  )}\n`;
  const shopJson = `${JSON.stringify(parseYaml(shopYaml), null, 2)}\n`;
  return { shopYaml, billingYaml, proto, config, pactV4, pactV3, shopJson };
}

/** Commands that read a project and write nothing (or only their configured outputs); cheap enough to repeat. */
const documentCommands: readonly (readonly string[])[] = [
  ['lint'],
  ['lint', '--json'],
  ['contracts'],
  ['codegen', '--check'],
  ['breaking', '--against', 'dir:../pristine'],
];

function* generated(rng: Rng, perFormat: Record<Exclude<Format, 'named'>, number>): Generator<FuzzCase> {
  const base = baseInputs();
  const documentCase = (format: Format, file: string, label: string, text: string, extra = {}, i = 0) => ({
    name: `${format} #${i}: ${file}: ${label}`,
    format,
    files: { [file]: text, ...extra },
    args: documentCommands[i % documentCommands.length] as readonly string[],
    hasLines: true,
  });

  for (let i = 0; i < perFormat['asyncapi-yaml']; i++) {
    const [file, text] = rng.chance(0.6)
      ? ['asyncapi/shop.yaml', base.shopYaml]
      : ['asyncapi/billing.yaml', base.billingYaml];
    const m = rng.chance(0.55) ? mutateYaml(rng, text) : mutateText(rng, text);
    yield documentCase('asyncapi-yaml', file, m.label, m.text, {}, i);
  }
  // The shop document as JSON (billing refers to it by its new name).
  const billingToJson = base.billingYaml.replace('./shop.yaml#', './shop.json#');
  for (let i = 0; i < perFormat['asyncapi-json']; i++) {
    const m = mutateJson(rng, base.shopJson);
    yield documentCase(
      'asyncapi-json',
      'asyncapi/shop.json',
      m.label,
      m.text,
      { 'asyncapi/shop.yaml': null, 'asyncapi/billing.yaml': billingToJson },
      i,
    );
  }
  const protoCommands = [['lint'], ['codegen', '--check'], ['contracts']];
  for (let i = 0; i < perFormat.proto; i++) {
    const m = rng.chance(0.6) ? mutateProto(rng, base.proto) : mutateText(rng, base.proto);
    yield {
      name: `proto #${i}: proto/shop/v1/events.proto: ${m.label}`,
      format: 'proto',
      files: { 'proto/shop/v1/events.proto': m.text },
      args: protoCommands[i % protoCommands.length] as string[],
      hasLines: true,
    };
  }
  // verify runs the Pact verifier in its own process (seconds per run): one case in twenty.
  const pactCommands = [['contracts'], ['contracts', '--json']];
  const pactCommand = (i: number) =>
    i % 30 === 29 ? ['verify', '--version', 'v1'] : (pactCommands[i % pactCommands.length] as string[]);
  for (const [format, text] of [
    ['pact-v4', base.pactV4],
    ['pact-v3', base.pactV3],
  ] as const) {
    for (let i = 0; i < perFormat[format]; i++) {
      const m = mutateJson(rng, text);
      yield {
        name: `${format} #${i}: ${pactFile}: ${m.label}`,
        format,
        files: { [pactFile]: m.text, [resultsFile]: emptyResults },
        args: pactCommand(i),
        hasLines: true,
      };
    }
  }
  const configCommands = [
    ['lint'],
    ['codegen', '--check'],
    ['contracts'],
    ['can-i-deploy', '--pacticipant', 'shop', '--version', 'v1'],
    ['breaking', '--against', 'dir:../pristine'],
  ];
  const configTemplate = `${JSON.stringify(
    {
      ...JSON.parse(base.config),
      output: { codegen: 'src/reference', catalog: 'dist/catalog', pacts: 'contracts/pacts' },
      rules: { 'subject-convention': 'error' },
    },
    null,
    2,
  )}\n`;
  for (let i = 0; i < perFormat.config; i++) {
    const m = mutateJson(rng, rng.chance(0.5) ? base.config : configTemplate);
    yield {
      name: `config #${i}: eventkit.config.json: ${m.label}`,
      format: 'config',
      files: { 'eventkit.config.json': m.text },
      args: configCommands[i % configCommands.length] as string[],
      hasLines: true,
    };
  }
  for (let i = 0; i < perFormat['command-line']; i++) {
    const args = commandLine(rng);
    yield {
      name: `command-line #${i}: ${JSON.stringify(args).slice(0, 160)}`,
      format: 'command-line',
      files: {},
      args,
      hasLines: false,
    };
  }
}

/** Commands a random command line may start with (never one that serves or watches until stopped). */
const commandWords = [
  'lint',
  'contracts',
  'codegen',
  'breaking',
  'verify',
  'can-i-deploy',
  'catalog',
  'rollout',
  'help',
  'nosuch',
  '',
  '-',
  '--',
  'LINT',
  'lint\u0000',
];

/** Options and values, valid and not, from every command. */
const optionWords = [
  '--json',
  '--check',
  '--service',
  'nope',
  'shop',
  '--against',
  'dir:/',
  'dir:../pristine',
  'dir:',
  'git:',
  '--version',
  '',
  'v1',
  '--provider',
  '--providers',
  'nope/*.ts',
  '--pacticipant',
  '--no-record',
  '--emit-input',
  'eventkit.config.json',
  '--out',
  '../outside',
  '/',
  '--unknown',
  '-x',
  '--help',
  '-h',
  '--cwd',
  '--allow-remote',
  '\u0000',
  '\u001b[2J',
  '😀',
  'x'.repeat(100_000),
  '--json=1',
  '--check=no',
  '-C',
];

function commandLine(rng: Rng): string[] {
  const args = [rng.pick(commandWords)];
  const count = rng.int(5);
  for (let i = 0; i < count; i++) args.push(rng.pick(optionWords));
  // `--help` alone prints help (exit 0): keep most lines something that runs.
  return args;
}

/** The named examples of issue #13 that run in-process (each also has its own test in test/hostile). */
function named(): FuzzCase[] {
  const base = baseInputs();
  const shop = (change: (text: string) => string, label: string, args: string[] = ['lint']): FuzzCase => ({
    name: `named: ${label} (${args.join(' ')})`,
    format: 'named',
    files: { 'asyncapi/shop.yaml': change(base.shopYaml) },
    args,
    hasLines: true,
  });
  // verify runs the Pact verifier in a process of its own (seconds each): the named pacts run it once;
  // test/hostile/inputs.test.ts runs verify on each of them.
  const pact = (
    change: (pact: Record<string, unknown>) => void,
    label: string,
    commands: readonly string[] = ['contracts'],
  ): FuzzCase[] => {
    const doc = JSON.parse(base.pactV4) as Record<string, unknown>;
    change(doc);
    return commands.map((command) => ({
      name: `named: ${label} (${command})`,
      format: 'named' as const,
      files: { [pactFile]: `${JSON.stringify(doc, null, 2)}\n`, [resultsFile]: emptyResults },
      args: command === 'verify' ? ['verify', '--version', 'v1'] : [command],
      hasLines: true,
    }));
  };
  const interaction = (doc: Record<string, unknown>) =>
    (doc.interactions as Record<string, Record<string, unknown>>[])[0] as Record<
      string,
      Record<string, unknown>
    >;
  const cycle = (text: string) =>
    text
      .replace('$ref: "#/components/messages/OrderPlacedV1"', '$ref: "#/components/messages/A"')
      .replace(
        'components:\n  messages:\n',
        'components:\n  messages:\n    A:\n      $ref: "#/components/messages/B"\n    B:\n      $ref: "#/components/messages/A"\n',
      );
  const cases: FuzzCase[] = [];
  for (const command of documentCommands) cases.push(shop(cycle, 'circular $ref A → B → A', [...command]));
  cases.push(
    shop((t) => t.replace('status: STATUS_OPEN', 'status: !!binary aGVsbG8='), 'YAML !!binary value'),
    shop(
      (t) => t.replace('x-eventkit-service: shop', 'x-eventkit-service: ../../../victim'),
      'service id ../../../victim',
      ['codegen'],
    ),
    shop((t) => t.replace('x-eventkit-service: shop', 'x-eventkit-service: a/b'), 'service id with /', [
      'codegen',
    ]),
  );
  cases.push({
    name: 'named: x-eventkit-type that is code (codegen)',
    format: 'named',
    files: {
      'asyncapi/notes.yaml': `asyncapi: 3.0.0
info:
  title: Notes
  version: 1.0.0
  x-eventkit-service: notes
channels:
  noteAddedV1:
    address: notes.note-added.v1.{noteId}
    parameters:
      noteId: {}
    messages:
      NoteAdded:
        $ref: "#/components/messages/NoteAddedV1"
operations:
  publishNoteAdded:
    action: send
    channel:
      $ref: "#/channels/noteAddedV1"
    messages:
      - $ref: "#/channels/noteAddedV1/messages/NoteAdded"
components:
  messages:
    NoteAddedV1:
      name: NoteAdded
      contentType: application/json
      x-eventkit-type: "notes.v1.X'; process.exit(1); '"
      payload:
        type: object
        properties:
          text: { type: string }
`,
    },
    args: ['codegen'],
    hasLines: true,
  });
  for (const key of ['constructor', 'toString', 'hasOwnProperty', '__proto__'])
    cases.push(shop((t) => t.replaceAll('orderPlacedV1', key), `channel key ${key}`));
  cases.push(
    ...pact(
      (doc) => {
        (interaction(doc).contents as Record<string, unknown>).content = null;
      },
      'pact contents.content: null',
      ['contracts', 'verify'],
    ),
    ...pact((doc) => {
      (interaction(doc).metadata as Record<string, unknown>).subject = 42;
    }, 'pact numeric metadata.subject'),
    ...pact((doc) => {
      doc.metadata = { pactSpecification: { version: '1.0.0' } };
    }, 'pact specification 1.0.0'),
  );
  const deep = `{"consumer":{"name":"billing"},"provider":{"name":"shop"},"interactions":[{"type":"Asynchronous/Messages","description":"deep","contents":{"content":${'['.repeat(100_000)}${']'.repeat(100_000)}}}],"metadata":{"pactSpecification":{"version":"4.0"}}}\n`;
  cases.push({
    name: 'named: pact content nested 100,000 deep (contracts)',
    format: 'named',
    files: { [pactFile]: deep, [resultsFile]: emptyResults },
    args: ['contracts'],
    hasLines: true,
  });
  const usage = (args: string[], label: string, files: Record<string, string | null> = {}): FuzzCase => ({
    name: `named: ${label}`,
    format: 'named',
    files,
    args,
    hasLines: false,
  });
  cases.push(
    usage(['monitor', '--help'], 'monitor --help (a command that is not there is exit 64)'),
    usage(['provision', '--server', ''], "provision --server ''"),
    usage(['verify', '--version', 'v1', '--provider', 'nope'], 'verify --provider nope', {
      [pactFile]: base.pactV4,
    }),
    usage(['can-i-deploy', '--pacticipant', 'nope', '--version', 'v1'], 'can-i-deploy --pacticipant nope'),
    usage(['breaking', '--against', 'dir:/'], 'breaking --against dir:/'),
    usage(['codegen', '--emit-input', 'eventkit.config.json'], 'codegen --emit-input an existing file'),
    usage(['catalog', '--serve', '--port', ''], 'catalog --serve --port ""'),
  );
  cases.push({
    name: 'named: can-i-deploy with an invalid config',
    format: 'named',
    files: { 'eventkit.config.json': '{\n  "asyncapi": 5\n}\n' },
    args: ['can-i-deploy', '--pacticipant', 'shop', '--version', 'v1'],
    hasLines: true,
  });
  cases.push({
    name: 'named: config output folder outside the project (codegen)',
    format: 'named',
    files: {
      'eventkit.config.json':
        '{\n  "asyncapi": ["asyncapi/*.yaml"],\n  "protoRoots": ["proto"],\n  "output": { "codegen": "../gen" },\n  "bufLint": false\n}\n',
    },
    args: ['codegen'],
    hasLines: true,
  });
  cases.push({
    name: 'named: a config with 100,000 rule keys (lint)',
    format: 'named',
    files: {
      'eventkit.config.json': `{\n  "asyncapi": ["asyncapi/*.yaml"],\n  "protoRoots": ["proto"],\n  "bufLint": false,\n  "rules": {\n${Array.from({ length: 100_000 }, (_, i) => `    "rule-${i}": "off"`).join(',\n')}\n  }\n}\n`,
    },
    args: ['lint'],
    hasLines: true,
  });
  return cases;
}

/** Cases per format: at least 500 in all with the named ones. */
export const defaultCounts: Record<Exclude<Format, 'named'>, number> = {
  'asyncapi-yaml': 150,
  'asyncapi-json': 60,
  proto: 70,
  'pact-v4': 60,
  'pact-v3': 40,
  config: 60,
  'command-line': 60,
};

/** Every case, in a fixed order for a seed. */
export function fuzzCases(seed: number, counts = defaultCounts): FuzzCase[] {
  return [...named(), ...generated(new Rng(seed), counts)];
}
