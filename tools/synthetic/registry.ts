// Synthetic registries: a valid, deterministic `Registry` of any size with realistic names, fields,
// proto sources and examples — for catalog tests and benchmarks before (and beside) real contracts.
import type {
  EventkitConfig,
  EventModel,
  ExampleModel,
  FieldModel,
  JsonSchema,
  OperationModel,
  ProtoFileModel,
  Registry,
  ServiceModel,
  StreamModel,
} from '../../src/model/types.ts';
import {
  contextQualifiers,
  contexts as contextWords,
  curatedEvents,
  serviceSuffixes,
  teams,
  verbs,
} from './words.ts';

export interface SyntheticOptions {
  readonly services: number;
  /** Total event models, majors included (about 1 in 12 is a v2 of an earlier event). */
  readonly events: number;
  /** Receivers per event (other services, preferring the producer's and nearby contexts). */
  readonly consumersPerEvent: number;
  /** PRNG seed; the same options always give the same registry. */
  readonly seed?: number;
  /** Config root written into `registry.config.root`. */
  readonly root?: string;
}

/** Small fast deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const kebab = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
const snake = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);
const words = (name: string): string => kebab(name).replace(/-/g, ' ');

/** A field template: its model (minus location) and the proto line(s) it needs. */
interface FieldSpec {
  readonly model: FieldModel;
  /** Proto type as written in the .proto file. */
  readonly protoType: string;
  /** Named types this field needs declared in the file (`LineItem`, `Address`, `<Entity>Status`). */
  readonly needs?: 'LineItem' | 'Address' | 'Status' | 'Reason';
  readonly imports?: readonly string[];
}

const moneyFields: readonly FieldModel[] = [
  {
    name: 'currencyCode',
    protoName: 'currency_code',
    number: 1,
    kind: 'scalar',
    type: 'string',
    repeated: false,
    required: false,
    description: 'ISO 4217 currency code, e.g. EUR.',
  },
  {
    name: 'units',
    protoName: 'units',
    number: 2,
    kind: 'scalar',
    type: 'int64',
    repeated: false,
    required: false,
    description: 'Whole units of the amount.',
  },
  {
    name: 'nanos',
    protoName: 'nanos',
    number: 3,
    kind: 'scalar',
    type: 'int32',
    repeated: false,
    required: false,
    description: 'Nano units of the amount (10^-9).',
  },
];

const MONEY_IMPORT = 'common/v1/money.proto';
const TIMESTAMP_IMPORT = 'google/protobuf/timestamp.proto';

function scalar(name: string, type: string, description: string, repeated = false): FieldSpec {
  return {
    model: { name, protoName: snake(name), kind: 'scalar', type, repeated, required: false, description },
    protoType: type,
  };
}

function fieldPool(entity: string, pkg: string): FieldSpec[] {
  const status = `${entity}Status`;
  const reason = `${entity}Reason`;
  return [
    scalar('customerId', 'string', 'Customer the change belongs to.'),
    {
      model: {
        name: 'occurredAt',
        protoName: 'occurred_at',
        kind: 'message',
        type: 'google.protobuf.Timestamp',
        repeated: false,
        required: false,
        description: 'When it happened in the source system (UTC).',
      },
      protoType: 'google.protobuf.Timestamp',
      imports: [TIMESTAMP_IMPORT],
    },
    {
      model: {
        name: 'total',
        protoName: 'total',
        kind: 'message',
        type: 'common.v1.Money',
        repeated: false,
        required: false,
        description: 'Total amount including tax.',
        fields: moneyFields,
      },
      protoType: 'common.v1.Money',
      imports: [MONEY_IMPORT],
    },
    {
      model: {
        name: 'status',
        protoName: 'status',
        kind: 'enum',
        type: `${pkg}.${status}`,
        repeated: false,
        required: false,
        description: `Lifecycle state of the ${words(entity)} after the change.`,
        enumValues: [
          {
            name: `${snake(status).toUpperCase()}_UNSPECIFIED`,
            number: 0,
            description: 'Never sent; the proto3 default.',
          },
          { name: `${snake(status).toUpperCase()}_PENDING`, number: 1 },
          { name: `${snake(status).toUpperCase()}_ACTIVE`, number: 2 },
          { name: `${snake(status).toUpperCase()}_CLOSED`, number: 3 },
        ],
      },
      protoType: status,
      needs: 'Status',
    },
    {
      model: {
        name: 'reason',
        protoName: 'reason',
        kind: 'enum',
        type: `${pkg}.${reason}`,
        repeated: false,
        required: false,
        description: 'Why it happened, for reporting and compensation.',
        enumValues: [
          { name: `${snake(reason).toUpperCase()}_UNSPECIFIED`, number: 0 },
          {
            name: `${snake(reason).toUpperCase()}_CUSTOMER_REQUEST`,
            number: 1,
            description: 'The customer asked for it.',
          },
          { name: `${snake(reason).toUpperCase()}_TIMEOUT`, number: 2, description: 'A deadline passed.' },
          {
            name: `${snake(reason).toUpperCase()}_POLICY`,
            number: 3,
            description: 'A business rule decided.',
          },
        ],
      },
      protoType: reason,
      needs: 'Reason',
    },
    {
      model: {
        name: 'items',
        protoName: 'items',
        kind: 'message',
        type: `${pkg}.LineItem`,
        repeated: true,
        required: false,
        description: 'Line items, in the order the customer added them.',
        fields: [
          {
            name: 'sku',
            protoName: 'sku',
            number: 1,
            kind: 'scalar',
            type: 'string',
            repeated: false,
            required: false,
            description: 'Stock keeping unit.',
          },
          {
            name: 'quantity',
            protoName: 'quantity',
            number: 2,
            kind: 'scalar',
            type: 'int32',
            repeated: false,
            required: false,
            description: 'Units ordered; at least 1.',
          },
          {
            name: 'unitPrice',
            protoName: 'unit_price',
            number: 3,
            kind: 'message',
            type: 'common.v1.Money',
            repeated: false,
            required: false,
            description: 'Price of one unit at the time of the change.',
            fields: moneyFields,
          },
        ],
      },
      protoType: 'LineItem',
      needs: 'LineItem',
      imports: [MONEY_IMPORT],
    },
    scalar('note', 'string', 'Free text from the operator; may be empty.'),
    scalar('attempt', 'int32', 'How many times this was tried, starting at 1.'),
    scalar('storeId', 'string', 'Store the change happened in.'),
    scalar('labels', 'string', 'Search labels, lower-case.', true),
    {
      model: {
        name: 'attributes',
        protoName: 'attributes',
        kind: 'map',
        type: 'map<string, string>',
        repeated: false,
        required: false,
        description: 'Extra attributes for downstream projections.',
      },
      protoType: 'map<string, string>',
    },
    {
      model: {
        name: 'expiresAt',
        protoName: 'expires_at',
        kind: 'message',
        type: 'google.protobuf.Timestamp',
        repeated: false,
        required: false,
        description: 'When the hold lapses unless confirmed.',
      },
      protoType: 'google.protobuf.Timestamp',
      imports: [TIMESTAMP_IMPORT],
    },
    scalar('quantity', 'int32', 'Number of units affected.'),
    scalar('email', 'string', 'Contact e-mail, already verified.'),
    scalar('priority', 'bool', 'True when it jumps the queue.'),
    {
      model: {
        name: 'shippingAddress',
        protoName: 'shipping_address',
        kind: 'message',
        type: `${pkg}.Address`,
        repeated: false,
        required: false,
        description: 'Where the goods go.',
        fields: [
          {
            name: 'line1',
            protoName: 'line1',
            number: 1,
            kind: 'scalar',
            type: 'string',
            repeated: false,
            required: false,
          },
          {
            name: 'city',
            protoName: 'city',
            number: 2,
            kind: 'scalar',
            type: 'string',
            repeated: false,
            required: false,
          },
          {
            name: 'postalCode',
            protoName: 'postal_code',
            number: 3,
            kind: 'scalar',
            type: 'string',
            repeated: false,
            required: false,
          },
          {
            name: 'country',
            protoName: 'country',
            number: 4,
            kind: 'scalar',
            type: 'string',
            repeated: false,
            required: false,
            description: 'ISO 3166-1 alpha-2.',
          },
        ],
      },
      protoType: 'Address',
      needs: 'Address',
    },
    {
      model: {
        name: 'amount',
        protoName: 'amount',
        kind: 'message',
        type: 'common.v1.Money',
        repeated: false,
        required: false,
        description: 'Amount moved by this change.',
        fields: moneyFields,
      },
      protoType: 'common.v1.Money',
      imports: [MONEY_IMPORT],
    },
    scalar('version', 'int64', 'Aggregate version after the change (optimistic concurrency).'),
  ];
}

interface PlannedEvent {
  name: string;
  entity: string;
  context: string;
  major: number;
  producer: string;
  consumers: string[];
  fields: FieldSpec[];
  saga: boolean;
  deprecated: boolean;
}

interface PlannedService {
  id: string;
  context: string;
  contextIndex: number;
  team: string;
}

function contextName(i: number): string {
  const base = contextWords[i % contextWords.length];
  if (!base) throw new Error('empty context word list');
  const round = Math.floor(i / contextWords.length);
  if (round === 0) return base.name;
  const qualifier = contextQualifiers[(round - 1) % contextQualifiers.length];
  const lap = Math.floor((round - 1) / contextQualifiers.length);
  return `${qualifier}_${base.name}${lap > 0 ? `_${lap + 1}` : ''}`;
}

function entitiesOf(i: number): readonly string[] {
  return contextWords[i % contextWords.length]?.entities ?? ['Thing'];
}

function numberFields(fields: readonly FieldSpec[]): FieldSpec[] {
  return fields.map((f, i) => ({ ...f, model: { ...f.model, number: i + 1 } }));
}

/** Builds the registry. O(services + events × consumersPerEvent). */
export function syntheticRegistry(options: SyntheticOptions): Registry {
  const { services: serviceCount, events: eventCount, consumersPerEvent } = options;
  if (serviceCount < 1) throw new Error('syntheticRegistry: need at least one service');
  const rand = prng(options.seed ?? 42);
  const root = options.root ?? '/synthetic';
  const contextCount = serviceCount <= 6 ? serviceCount : Math.max(6, Math.round(serviceCount / 8));

  const services: PlannedService[] = [];
  const servicesByContext: PlannedService[][] = Array.from({ length: contextCount }, () => []);
  for (let i = 0; i < serviceCount; i++) {
    const contextIndex = i % contextCount;
    const context = contextName(contextIndex);
    const bucket = servicesByContext[contextIndex] as PlannedService[];
    const k = bucket.length;
    const suffix = serviceSuffixes[k % serviceSuffixes.length] ?? '';
    const lap = Math.floor(k / serviceSuffixes.length);
    const id = `${context.replace(/_/g, '-')}${suffix}${lap > 0 ? `-${lap + 1}` : ''}`;
    const service: PlannedService = {
      id,
      context,
      contextIndex,
      team: teams[contextIndex % teams.length] ?? 'platform',
    };
    services.push(service);
    bucket.push(service);
  }

  const pickConsumers = (producer: PlannedService): string[] => {
    const chosen = new Set<string>();
    const want = Math.min(consumersPerEvent, serviceCount - 1);
    let guard = 0;
    while (chosen.size < want && guard++ < want * 50) {
      const local = rand() < 0.5;
      const offset = local ? 0 : 1 + Math.floor(rand() * 3) * (rand() < 0.5 ? -1 : 1);
      const ci = (((producer.contextIndex + offset) % contextCount) + contextCount) % contextCount;
      const bucket = servicesByContext[ci] as PlannedService[];
      const candidate = bucket[Math.floor(rand() * bucket.length)];
      if (candidate && candidate.id !== producer.id) chosen.add(candidate.id);
    }
    // Fallback for tiny registries where locality cannot fill the quota.
    for (let i = 0; chosen.size < want && i < services.length; i++) {
      const s = services[(i + producer.contextIndex + 1) % services.length] as PlannedService;
      if (s.id !== producer.id) chosen.add(s.id);
    }
    return [...chosen].sort();
  };

  const events: PlannedEvent[] = [];
  const perContextCount = new Map<string, number>();
  const namesByContext = new Map<string, Set<string>>();
  const v1ByContext = new Map<string, PlannedEvent[]>();
  for (let j = 0; j < eventCount; j++) {
    const producer = services[j % serviceCount] as PlannedService;
    const ctx = producer.context;
    const earlier = (v1ByContext.get(ctx) ?? []).filter((e) => e.producer === producer.id && e.major === 1);
    const makeV2 = j >= serviceCount && rand() < 0.08 && earlier.length > 0;
    if (makeV2) {
      const base = earlier[Math.floor(rand() * earlier.length)] as PlannedEvent;
      const already = events.some((e) => e.context === ctx && e.name === base.name && e.major === 2);
      if (!already) {
        events.push(planV2(base, producer, pickConsumers(producer), rand));
        continue;
      }
    }
    const n = perContextCount.get(ctx) ?? 0;
    perContextCount.set(ctx, n + 1);
    const taken = namesByContext.get(ctx) ?? new Set<string>();
    namesByContext.set(ctx, taken);
    const curated = curatedEvents[ctx]?.[n];
    const entities = entitiesOf(producer.contextIndex);
    let entity = curated?.[0] ?? '';
    let name = curated ? curated.join('') : '';
    // Generic names walk (entity, verb) pairs until one is free in this context.
    for (let k = n + (taken.size - n); !name || taken.has(name); k++) {
      entity = entities[k % entities.length] as string;
      const verbIndex = (Math.floor(k / entities.length) + producer.contextIndex * 7) % verbs.length;
      const lap = Math.floor(k / (entities.length * verbs.length));
      name = `${entity}${verbs[verbIndex]}${lap > 0 ? lap + 1 : ''}`;
    }
    taken.add(name);
    const pkg = `${ctx}.v1`;
    const idField = scalar(
      `${lowerFirst(entity)}Id`,
      'string',
      `Id of the ${words(entity)}; also the subject's partition key.`,
    );
    // The pool may hold the key itself (a `Store…` event and the pool's `storeId`): a field name must be unique.
    const pool = fieldPool(entity, pkg).filter((f) => f.model.name !== idField.model.name);
    const extra: FieldSpec[] = [];
    const want = 3 + Math.floor(rand() * 6);
    const used = new Set<number>();
    while (extra.length < want) {
      const k = Math.floor(rand() * pool.length);
      if (used.has(k)) continue;
      used.add(k);
      extra.push(pool[k] as FieldSpec);
    }
    const planned: PlannedEvent = {
      name,
      entity,
      context: ctx,
      major: 1,
      producer: producer.id,
      consumers: pickConsumers(producer),
      fields: numberFields([idField, ...extra]),
      saga: false,
      deprecated: false,
    };
    events.push(planned);
    const list = v1ByContext.get(ctx) ?? [];
    list.push(planned);
    v1ByContext.set(ctx, list);
  }
  markSaga(events);
  return assemble(root, services, events);
}

function planV2(
  base: PlannedEvent,
  producer: PlannedService,
  consumers: string[],
  rand: () => number,
): PlannedEvent {
  base.deprecated = true;
  const pkg = `${base.context}.v2`;
  const fields = base.fields.map((f) => retarget(f, `${base.context}.v1`, pkg));
  // A breaking change: drop one non-key field, change one type, add one field.
  if (fields.length > 2) fields.splice(1 + Math.floor(rand() * (fields.length - 1)), 1);
  const changeAt = fields.findIndex((f, i) => i > 0 && f.model.kind === 'scalar' && f.model.type !== 'int64');
  if (changeAt > 0) {
    const f = fields[changeAt] as FieldSpec;
    fields[changeAt] = {
      ...f,
      protoType: 'int64',
      model: { ...f.model, type: 'int64', description: `${f.model.description ?? ''} Now a number.`.trim() },
    };
  }
  fields.push(scalar('channel', 'string', 'Sales channel: web, app or store.'));
  return {
    ...base,
    major: 2,
    producer: producer.id,
    consumers,
    fields: fields.map((f, i) => ({ ...f, model: { ...f.model, number: i + 1 } })),
    saga: false,
    deprecated: false,
  };
}

function retarget(f: FieldSpec, from: string, to: string): FieldSpec {
  if (!f.model.type.startsWith(`${from}.`)) return f;
  return { ...f, model: { ...f.model, type: `${to}.${f.model.type.slice(from.length + 1)}` } };
}

/** Tags a chain of up to five events as the saga: each next step is produced by a consumer of the previous one. */
function markSaga(events: PlannedEvent[]): void {
  // When the shop's saga events exist, wire and tag them as the reference system does.
  const shop = ['OrderPlaced', 'PaymentApproved', 'OrderPaid', 'StockReserved', 'OrderCompleted'].map((n) =>
    events.find((e) => e.name === n && e.major === 1),
  );
  if (shop.every((e): e is PlannedEvent => e !== undefined)) {
    shop.forEach((e, i) => {
      e.saga = true;
      const next = shop[i + 1];
      if (next && !e.consumers.includes(next.producer) && next.producer !== e.producer) {
        e.consumers = [...e.consumers.slice(0, Math.max(0, e.consumers.length - 1)), next.producer].sort();
      }
    });
    return;
  }
  const byProducer = new Map<string, PlannedEvent[]>();
  for (const e of events) {
    if (e.major !== 1) continue;
    const list = byProducer.get(e.producer) ?? [];
    list.push(e);
    byProducer.set(e.producer, list);
  }
  let current = events[0];
  const chain = new Set<PlannedEvent>();
  while (current && chain.size < 5) {
    chain.add(current);
    current.saga = true;
    const from: PlannedEvent = current;
    current = undefined;
    for (const consumer of from.consumers) {
      const next = (byProducer.get(consumer) ?? []).find((e) => !chain.has(e));
      if (next) {
        current = next;
        break;
      }
    }
  }
}

function exampleValue(f: FieldModel, key: string, seq: number): unknown {
  const one = (): unknown => {
    if (f.kind === 'enum') return f.enumValues?.[1]?.name ?? f.enumValues?.[0]?.name ?? '';
    if (f.kind === 'map') return { source: 'web' };
    if (f.type === 'google.protobuf.Timestamp') return '2026-11-02T09:30:00Z';
    if (f.type === 'common.v1.Money')
      return { currencyCode: 'EUR', units: String(19 + (seq % 80)), nanos: 990000000 };
    if (f.kind === 'message') {
      const o: Record<string, unknown> = {};
      for (const sub of f.fields ?? []) o[sub.name] = exampleValue(sub, key, seq);
      return o;
    }
    switch (f.type) {
      case 'bool':
        return true;
      case 'int32':
        return 1 + (seq % 5);
      case 'int64':
        return String(1000 + seq);
      default:
        if (f.name.endsWith('Id'))
          return f.name === key ? `${f.name.slice(0, 3)}_${seq}` : `${f.name.slice(0, 4)}_${(seq * 7) % 997}`;
        if (f.name === 'email') return 'ada@example.com';
        if (f.name === 'sku') return `SKU-${100 + (seq % 900)}`;
        if (f.name === 'country') return 'NL';
        if (f.name === 'city') return 'Utrecht';
        return `${f.name} ${seq}`;
    }
  };
  return f.repeated ? [one()] : one();
}

function jsonSchemaOf(fields: readonly FieldModel[]): JsonSchema {
  const properties: Record<string, unknown> = {};
  for (const f of fields) {
    let schema: Record<string, unknown>;
    if (f.kind === 'enum') schema = { type: 'string', enum: (f.enumValues ?? []).map((v) => v.name) };
    else if (f.kind === 'map') schema = { type: 'object', additionalProperties: { type: 'string' } };
    else if (f.type === 'google.protobuf.Timestamp') schema = { type: 'string', format: 'date-time' };
    else if (f.kind === 'message') schema = jsonSchemaOf(f.fields ?? []) as Record<string, unknown>;
    else if (f.type === 'bool') schema = { type: 'boolean' };
    else if (f.type === 'int32') schema = { type: 'integer' };
    else if (f.type === 'int64') schema = { type: 'string', pattern: '^-?[0-9]+$' };
    else schema = { type: 'string' };
    if (f.description) schema.description = f.description;
    properties[f.name] = f.repeated ? { type: 'array', items: schema } : schema;
  }
  return { type: 'object', properties, additionalProperties: false };
}

function cloudEventHeaders(type: string, contentType: string): JsonSchema {
  return {
    type: 'object',
    required: ['ce-specversion', 'ce-id', 'ce-source', 'ce-type', 'ce-time', 'content-type'],
    properties: {
      'ce-specversion': { type: 'string', const: '1.0' },
      'ce-id': { type: 'string', description: 'Unique event id; also Nats-Msg-Id for de-duplication.' },
      'ce-source': { type: 'string', description: 'Publishing service.' },
      'ce-type': { type: 'string', const: type },
      'ce-time': { type: 'string', format: 'date-time' },
      'ce-subject': { type: 'string', description: 'Partition key value.' },
      'content-type': { type: 'string', const: contentType },
      'ce-correlationid': { type: 'string' },
      'ce-causationid': { type: 'string' },
      traceparent: { type: 'string', description: 'W3C trace context.' },
    },
  };
}

function protoFileFor(context: string, major: number, planned: readonly PlannedEvent[]): ProtoFileModel {
  const pkg = `${context}.v${major}`;
  const imports = new Set<string>();
  const extraTypes = new Map<string, string>();
  const blocks: string[] = [];
  for (const e of planned) {
    const lines: string[] = [
      `// ${e.name} — emitted when a ${words(e.entity)} is ${words(e.name.slice(e.entity.length)) || 'changed'}.`,
    ];
    lines.push(`// Partition key: ${lowerFirst(e.entity)}_id. Producer: ${e.producer}.`);
    lines.push(`message ${e.name} {`);
    for (const f of e.fields) {
      for (const i of f.imports ?? []) imports.add(i);
      if (f.model.description) lines.push(`  // ${f.model.description}`);
      const label = f.model.repeated ? 'repeated ' : '';
      lines.push(`  ${label}${f.protoType} ${f.model.protoName} = ${f.model.number};`);
      if (f.needs === 'LineItem' && !extraTypes.has('LineItem')) {
        extraTypes.set(
          'LineItem',
          [
            '// One line of an order.',
            'message LineItem {',
            '  // Stock keeping unit.',
            '  string sku = 1;',
            '  // Units ordered; at least 1.',
            '  int32 quantity = 2;',
            '  common.v1.Money unit_price = 3;',
            '}',
          ].join('\n'),
        );
      }
      if (f.needs === 'Address' && !extraTypes.has('Address')) {
        extraTypes.set(
          'Address',
          [
            '// A postal address.',
            'message Address {',
            '  string line1 = 1;',
            '  string city = 2;',
            '  string postal_code = 3;',
            '  // ISO 3166-1 alpha-2.',
            '  string country = 4;',
            '}',
          ].join('\n'),
        );
      }
      if ((f.needs === 'Status' || f.needs === 'Reason') && !extraTypes.has(f.protoType)) {
        const values = (f.model.enumValues ?? []).map(
          (v) => `${v.description ? `  // ${v.description}\n` : ''}  ${v.name} = ${v.number};`,
        );
        extraTypes.set(f.protoType, [`enum ${f.protoType} {`, ...values, '}'].join('\n'));
      }
    }
    lines.push('}');
    blocks.push(lines.join('\n'));
  }
  const header = [
    'syntax = "proto3";',
    '',
    `package ${pkg};`,
    '',
    ...[...imports].sort().map((i) => `import "${i}";`),
    ...(imports.size > 0 ? [''] : []),
    `option go_package = "example.com/shop/gen/${context}/v${major};${context}v${major}";`,
    '',
  ];
  const body = [...blocks, ...[...extraTypes.keys()].sort().map((k) => extraTypes.get(k) as string)].join(
    '\n\n',
  );
  const source = `${header.join('\n')}\n${body}\n`;
  const importPath = `${context}/v${major}/events.proto`;
  return {
    file: `contracts/proto/${importPath}`,
    importPath,
    package: pkg,
    source,
    messages: [
      ...planned.map((e) => `${pkg}.${e.name}`),
      ...[...extraTypes.keys()].sort().map((k) => `${pkg}.${k}`),
    ],
    imports: [...imports].sort(),
  };
}

const MONEY_PROTO: ProtoFileModel = {
  file: `contracts/proto/${MONEY_IMPORT}`,
  importPath: MONEY_IMPORT,
  package: 'common.v1',
  source:
    'syntax = "proto3";\n\npackage common.v1;\n\n// An amount of money in one currency.\nmessage Money {\n  // ISO 4217 currency code, e.g. EUR.\n  string currency_code = 1;\n  int64 units = 2;\n  int32 nanos = 3;\n}\n',
  messages: ['common.v1.Money'],
  imports: [],
};

function assemble(
  root: string,
  plannedServices: readonly PlannedService[],
  planned: readonly PlannedEvent[],
): Registry {
  const config: EventkitConfig = {
    root,
    asyncapi: ['asyncapi/*.{yaml,yml,json}'],
    protoRoots: ['contracts/proto'],
    output: {
      codegen: 'src/reference',
      catalog: 'dist/catalog',
      pacts: 'contracts/pacts',
      results: 'contracts/verification-results.json',
    },
    conventions: { subjects: true, cloudEvents: true },
    rules: {},
    bufLint: true,
  };

  // Proto files: one per (context, major).
  const byPackage = new Map<string, PlannedEvent[]>();
  for (const e of planned) {
    const key = `${e.context}.v${e.major}`;
    const list = byPackage.get(key) ?? [];
    list.push(e);
    byPackage.set(key, list);
  }
  const protoByPackage = new Map<string, ProtoFileModel>();
  for (const [pkg, list] of byPackage) {
    const first = list[0] as PlannedEvent;
    protoByPackage.set(pkg, protoFileFor(first.context, first.major, list));
  }

  const operations: OperationModel[] = [];
  const sends = new Map<string, string[]>();
  const receives = new Map<string, string[]>();
  const rawChannels = new Map<string, Record<string, unknown>>();
  const rawOperations = new Map<string, Record<string, unknown>>();
  const rawMessages = new Map<string, Record<string, unknown>>();
  for (const s of plannedServices) {
    sends.set(s.id, []);
    receives.set(s.id, []);
    rawChannels.set(s.id, {});
    rawOperations.set(s.id, {});
    rawMessages.set(s.id, {});
  }
  const events: EventModel[] = [];
  let seq = 0;
  for (const e of planned) {
    seq++;
    const pkg = `${e.context}.v${e.major}`;
    const type = `${pkg}.${e.name}`;
    const eventKebab = kebab(e.name);
    const key = `${lowerFirst(e.entity)}Id`;
    const subjectPattern = `${e.context}.${eventKebab}.v${e.major}.{${key}}`;
    const subjectFilter = `${e.context}.${eventKebab}.v${e.major}.>`;
    const proto = protoByPackage.get(pkg) as ProtoFileModel;
    const fields = e.fields.map((f) => f.model);
    const payloadJson: Record<string, unknown> = {};
    for (const f of fields) payloadJson[f.name] = exampleValue(f, key, seq);
    const example: ExampleModel = {
      name: 'typical',
      summary: `A typical ${e.name}`,
      payload: payloadJson,
      headers: { 'ce-type': type, 'ce-source': e.producer, 'ce-id': `01J${String(seq).padStart(8, '0')}` },
    };
    const msgKey = `${e.name}V${e.major}`;
    const channelKey = `${lowerFirst(e.name)}V${e.major}`;
    const suffix = e.major > 1 ? `V${e.major}` : '';
    const file = `asyncapi/${e.producer}.yaml`;
    const description = `Emitted when a ${words(e.entity)} is ${words(e.name.slice(e.entity.length)).replace(/ \d+$/, '') || 'changed'}. Carries the ${words(e.entity)} id as partition key so consumers can process one ${words(e.entity)} in order.`;
    events.push({
      type,
      kind: 'event',
      name: e.name,
      kebab: eventKebab,
      context: e.context,
      major: e.major,
      package: pkg,
      title: words(e.name).replace(/^./, (c) => c.toUpperCase()),
      summary: `A ${words(e.entity)} was ${words(e.name.slice(e.entity.length)) || 'changed'}.`,
      description,
      subjectPattern,
      subjectFilter,
      channels: [
        {
          address: subjectPattern,
          subjectFilter,
          partitionKey: { parameter: key, field: key, description: `Id of the ${words(e.entity)}.` },
          operations: [
            `${e.producer}.publish${e.name}${suffix}`,
            ...e.consumers.map((c) => `${c}.on${e.name}${suffix}`),
          ].sort(),
        },
      ],
      partitionKey: { parameter: key, field: key, description: `Id of the ${words(e.entity)}.` },
      stream: e.context.toUpperCase(),
      contentType: 'application/protobuf',
      payload: {
        kind: 'protobuf',
        messageType: type,
        protoFile: proto.file,
        protoSource: proto.source,
        descriptor: {
          nested: { [e.context]: { nested: { [`v${e.major}`]: { nested: { [e.name]: { fields: {} } } } } } },
        },
        jsonSchema: jsonSchemaOf(fields),
        fields,
      },
      headers: cloudEventHeaders(type, 'application/protobuf'),
      examples: [example],
      producer: e.producer,
      consumers: [...e.consumers],
      deprecated: e.deprecated,
      location: { file, line: 1, column: 1, pointer: `/components/messages/${msgKey}` },
    });
    const sendOpId = `publish${e.name}${suffix}`;
    operations.push({
      id: `${e.producer}.${sendOpId}`,
      operationId: sendOpId,
      service: e.producer,
      action: 'send',
      eventTypes: [type],
      channelAddress: subjectPattern,
      requestReply: false,
      summary: `Publish ${e.name}`,
      location: { file, line: 1, column: 1, pointer: `/operations/${sendOpId}` },
    });
    sends.get(e.producer)?.push(`${e.producer}.${sendOpId}`);
    const channel = {
      address: subjectPattern,
      messages: { [e.name]: { $ref: `#/components/messages/${msgKey}` } },
      parameters: { [key]: { description: `Id of the ${words(e.entity)}.` } },
    };
    (rawChannels.get(e.producer) as Record<string, unknown>)[channelKey] = channel;
    (rawOperations.get(e.producer) as Record<string, unknown>)[sendOpId] = {
      action: 'send',
      channel: { $ref: `#/channels/${channelKey}` },
      messages: [{ $ref: `#/channels/${channelKey}/messages/${e.name}` }],
    };
    (rawMessages.get(e.producer) as Record<string, unknown>)[msgKey] = {
      name: e.name,
      title: words(e.name),
      summary: `A ${words(e.entity)} changed.`,
      contentType: 'application/protobuf',
      ...(e.saga ? { tags: [{ name: 'saga' }] } : {}),
      payload: { schemaFormat: 'application/vnd.google.protobuf;version=3', schema: type },
      examples: [{ name: example.name, payload: example.payload }],
    };
    for (const consumer of e.consumers) {
      const recvOpId = `on${e.name}${suffix}`;
      const durable = `${consumer}--${eventKebab}-v${e.major}`;
      operations.push({
        id: `${consumer}.${recvOpId}`,
        operationId: recvOpId,
        service: consumer,
        action: 'receive',
        eventTypes: [type],
        channelAddress: subjectPattern,
        requestReply: false,
        summary: `Handle ${e.name}`,
        durable,
        consumer: {
          ackWaitMs: 30000,
          maxDeliver: 5,
          backoffMs: [1000, 5000, 30000],
          maxAckPending: 1000,
          ordered: false,
          deliverPolicy: 'all',
        },
        location: {
          file: `asyncapi/${consumer}.yaml`,
          line: 1,
          column: 1,
          pointer: `/operations/${recvOpId}`,
        },
      });
      receives.get(consumer)?.push(`${consumer}.${recvOpId}`);
      (rawChannels.get(consumer) as Record<string, unknown>)[channelKey] = {
        address: subjectPattern,
        messages: { [e.name]: { $ref: `./${e.producer}.yaml#/components/messages/${msgKey}` } },
      };
      (rawOperations.get(consumer) as Record<string, unknown>)[recvOpId] = {
        action: 'receive',
        channel: { $ref: `#/channels/${channelKey}` },
        'x-eventkit-consumer': { durable },
      };
    }
  }

  const services: ServiceModel[] = plannedServices.map((s) => {
    const title = s.id
      .split('-')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(' ');
    const file = `asyncapi/${s.id}.yaml`;
    const owner = {
      team: s.team,
      name: `${s.team.charAt(0).toUpperCase()}${s.team.slice(1)} team`,
      email: `${s.team}@shop.example`,
      slack: `#${s.team}`,
    };
    return {
      id: s.id,
      context: s.context,
      title,
      version: '1.0.0',
      description: `${title} service of the ${s.context.replace(/_/g, ' ')} context.`,
      owner,
      tags: s.contextIndex < 5 ? ['saga'] : [],
      document: {
        file,
        raw: {
          asyncapi: '3.0.0',
          info: {
            title,
            version: '1.0.0',
            description: `${title} service.`,
            contact: { name: owner.name, email: owner.email },
            'x-eventkit-service': s.id,
            'x-eventkit-context': s.context,
            'x-eventkit-owner': { team: s.team, slack: owner.slack },
          },
          defaultContentType: 'application/protobuf',
          servers: { local: { host: 'localhost:4222', protocol: 'nats' } },
          channels: rawChannels.get(s.id),
          operations: rawOperations.get(s.id),
          components: { messages: rawMessages.get(s.id) },
        },
      },
      servers: [
        { id: 'local', host: 'localhost:4222', protocol: 'nats', description: 'Local NATS with JetStream' },
      ],
      sends: [...(sends.get(s.id) ?? [])].sort(),
      receives: [...(receives.get(s.id) ?? [])].sort(),
      location: { file, line: 1, column: 1 },
    };
  });

  const streamSubjects = new Map<string, string[]>();
  for (const e of events) {
    const list = streamSubjects.get(e.context) ?? [];
    list.push(e.subjectFilter);
    streamSubjects.set(e.context, list);
  }
  const streams: StreamModel[] = [...streamSubjects.entries()].map(([context, subjects]) => ({
    name: context.toUpperCase(),
    context,
    subjects: subjects.sort(),
    settings: {
      retention: 'limits',
      storage: 'file',
      maxAgeMs: 7 * 86400000,
      maxBytes: 1073741824,
      maxMsgs: -1,
      duplicateWindowMs: 120000,
      replicas: 1,
    },
    description: `Integration events of the ${context.replace(/_/g, ' ')} context.`,
  }));

  const byString =
    <T>(key: (t: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  return {
    config,
    services: services.sort(byString((s) => s.id)),
    events: events.sort(byString((e) => e.type)),
    operations: operations.sort(byString((o) => o.id)),
    streams: streams.sort(byString((s) => s.name)),
    protoFiles: [MONEY_PROTO, ...protoByPackage.values()].sort(byString((p) => p.file)),
  };
}
