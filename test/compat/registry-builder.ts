// Hand-built registries for compat tests: the smallest Registry values that look like what the loader makes.
import type {
  EventkitConfig,
  EventModel,
  FieldModel,
  JsonSchema,
  OperationModel,
  Registry,
  ServiceModel,
  StreamModel,
  StreamSettings,
} from '../../src/model/types.ts';

export function testConfig(root = '/project'): EventkitConfig {
  return {
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
}

const at = (file: string, pointer?: string) => ({
  file,
  line: 1,
  column: 1,
  ...(pointer ? { pointer } : {}),
});

export function ceHeaders(
  type: string,
  extra: Record<string, unknown> = {},
  required: string[] = [],
): JsonSchema {
  return {
    type: 'object',
    required: ['ce-id', 'ce-type', ...required],
    properties: {
      'ce-id': { type: 'string' },
      'ce-type': { type: 'string', const: type },
      'ce-source': { type: 'string' },
      ...extra,
    },
  };
}

export interface EventSpec {
  readonly type: string; // orders.v1.OrderPlaced
  readonly producer?: string;
  readonly consumers?: readonly string[];
  readonly subject?: string;
  readonly field?: string;
  readonly stream?: string;
  readonly headers?: JsonSchema;
  readonly contentType?: EventModel['contentType'];
  readonly kind?: EventModel['kind'];
  readonly fields?: readonly FieldModel[];
  /** JSON Schema payload instead of protobuf. */
  readonly jsonSchema?: JsonSchema;
  readonly messageType?: string;
  readonly deprecated?: boolean;
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

export function event(spec: EventSpec): EventModel {
  const parts = spec.type.split('.');
  const name = parts.at(-1) ?? 'Event';
  const context = parts[0] ?? 'ctx';
  const pkg = parts.slice(0, -1).join('.');
  const major = Number(/v(\d+)/.exec(parts[1] ?? 'v1')?.[1] ?? 1);
  const subject = spec.subject ?? `${context}.${kebab(name)}.v${major}.{${spec.field ?? 'id'}}`;
  const param = /\{([^}]+)\}/.exec(subject)?.[1];
  const file = `asyncapi/${spec.producer ?? context}.yaml`;
  return {
    type: spec.type,
    kind: spec.kind ?? 'event',
    name,
    kebab: kebab(name),
    context,
    major,
    package: pkg,
    subjectPattern: subject,
    subjectFilter: `${subject.replace(/\.\{[^}]+\}$/, '')}.>`,
    channels: [
      {
        address: subject,
        subjectFilter: `${subject.replace(/\.\{[^}]+\}$/, '')}.>`,
        ...(param === undefined ? {} : { partitionKey: { parameter: param, field: spec.field ?? param } }),
        operations: [],
      },
    ],
    partitionKey: param === undefined ? undefined : { parameter: param, field: spec.field ?? param },
    stream: spec.kind === 'command' ? undefined : (spec.stream ?? context.toUpperCase()),
    contentType: spec.contentType ?? (spec.jsonSchema ? 'application/json' : 'application/protobuf'),
    payload: spec.jsonSchema
      ? { kind: 'jsonschema', jsonSchema: spec.jsonSchema, fields: [] }
      : {
          kind: 'protobuf',
          messageType: spec.messageType ?? spec.type,
          protoFile: `contracts/proto/${context}/v${major}/events.proto`,
          protoSource: '',
          descriptor: {},
          jsonSchema: {},
          fields: spec.fields ?? [],
        },
    headers: spec.headers ?? ceHeaders(spec.type),
    examples: [],
    producer: spec.producer ?? context,
    consumers: [...(spec.consumers ?? [])].sort(),
    deprecated: spec.deprecated ?? false,
    location: at(file, `/components/messages/${name}`),
  };
}

export function field(
  name: string,
  number: number,
  type = 'string',
  extra: Partial<FieldModel> = {},
): FieldModel {
  return {
    name,
    protoName: name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
    number,
    kind: 'scalar',
    type,
    repeated: false,
    required: false,
    ...extra,
  };
}

export function operation(
  service: string,
  action: 'send' | 'receive',
  ev: EventModel,
  extra: Partial<OperationModel> = {},
): OperationModel {
  const operationId = `${action === 'send' ? 'publish' : 'on'}${ev.name}`;
  return {
    id: `${service}.${operationId}`,
    operationId,
    service,
    action,
    eventTypes: [ev.type],
    channelAddress: ev.subjectPattern,
    requestReply: false,
    durable: action === 'receive' ? `${service}--${ev.kebab}-v${ev.major}` : undefined,
    location: at(`asyncapi/${service}.yaml`, `/operations/${operationId}`),
    ...extra,
  };
}

export const defaultStreamSettings: StreamSettings = {
  retention: 'limits',
  storage: 'file',
  maxAgeMs: 0,
  maxBytes: -1,
  maxMsgs: -1,
  duplicateWindowMs: 120_000,
  replicas: 1,
};

export interface RegistrySpec {
  readonly events: readonly EventModel[];
  /** Extra operations; send/receive operations are derived from each event's producer and consumers. */
  readonly operations?: readonly OperationModel[];
  readonly deriveOperations?: boolean;
  readonly streams?: readonly StreamModel[];
  readonly raw?: Record<string, unknown>;
  readonly root?: string;
}

/** A registry with one service per producer/consumer and one stream per context, like the loader builds. */
export function registry(spec: RegistrySpec): Registry {
  const operations: OperationModel[] = [...(spec.operations ?? [])];
  if (spec.deriveOperations !== false) {
    for (const ev of spec.events) {
      if (ev.producer !== undefined) operations.push(operation(ev.producer, 'send', ev));
      for (const c of ev.consumers) operations.push(operation(c, 'receive', ev));
    }
  }
  const serviceIds = [
    ...new Set(operations.map((o) => o.service).concat(spec.events.map((e) => e.producer ?? e.context))),
  ].sort();
  const services: ServiceModel[] = serviceIds.map((id) => ({
    id,
    context: id,
    title: id,
    version: '1.0.0',
    tags: [],
    document: { file: `asyncapi/${id}.yaml`, raw: spec.raw?.[id] ?? {} },
    servers: [],
    sends: operations.filter((o) => o.service === id && o.action === 'send').map((o) => o.operationId),
    receives: operations.filter((o) => o.service === id && o.action === 'receive').map((o) => o.operationId),
    location: at(`asyncapi/${id}.yaml`),
  }));
  const streams =
    spec.streams ??
    [...new Set(spec.events.map((e) => e.stream).filter((s): s is string => s !== undefined))].sort().map(
      (name): StreamModel => ({
        name,
        context: name.toLowerCase(),
        subjects: spec.events
          .filter((e) => e.stream === name)
          .map((e) => e.subjectFilter)
          .sort(),
        settings: defaultStreamSettings,
      }),
    );
  return {
    config: testConfig(spec.root),
    services,
    events: [...spec.events].sort((a, b) => a.type.localeCompare(b.type)),
    operations: operations.sort((a, b) => a.id.localeCompare(b.id)),
    streams,
    protoFiles: [],
  };
}
