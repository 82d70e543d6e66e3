// Builds the codegen input of one service from the registry.

import type protobuf from 'protobufjs';
import { readAvroSchema } from '../../model/avro/avro-schema.ts';
import { importExtensionOf } from '../../model/config.ts';
import { durableName, protocolOf, protocolWords } from '../../model/names.ts';
import type {
  EventChannel,
  EventModel,
  ImportExtension,
  OperationModel,
  Registry,
} from '../../model/types.ts';
import type { ConsumerOptions } from '../../runtime/api.ts';
import { CodegenError } from '../errors.ts';

import { type AvroPayload, avroDeclarations } from './avro-types.ts';
import { declarationOfJsonSchema, isObjectPayload } from './json-schema-types.ts';
import { camelIdent, pascalIdent } from './naming.ts';
import { buildProtoTypes, parseProtoRoot, protoSources } from './proto-types.ts';
import {
  type CodegenInput,
  codegenInputVersion,
  type MessageInput,
  type OperationInput,
  type SubjectParameter,
  type TsDeclaration,
  type TsTypeModule,
} from './types.ts';

/** Operation ids become method and property names in the generated code. */
const TYPESCRIPT_IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export interface BuildInputOptions {
  /** Import specifiers of the runtime as seen from the generated folder. */
  readonly runtime: { readonly index: string; readonly api: string };
  /** A proto root parsed once for all services (`parseProtoRoot(registry.protoFiles)`). */
  readonly protoRoot?: protobuf.Root;
  /** Extension of relative imports in the generated files. Default: config `codegen.importExtension`. */
  readonly importExtension?: ImportExtension;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The codegen input of service `serviceId`: every message it sends or receives, with replies. */
export function buildCodegenInput(
  registry: Registry,
  serviceId: string,
  options: BuildInputOptions,
): CodegenInput {
  const service = registry.services.find((candidate) => candidate.id === serviceId);
  if (!service) throw new CodegenError(`unknown service "${serviceId}"`, { kind: 'usage' });
  const eventsByType = new Map(registry.events.map((event) => [event.type, event]));
  const eventOf = (type: string, operation: OperationModel): EventModel => {
    const event = eventsByType.get(type);
    if (!event) {
      throw new CodegenError(
        `${operation.location.file}:${operation.location.line}: operation ${operation.operationId} carries unknown message ${type}`,
        {
          file: operation.location.file,
        },
      );
    }
    return event;
  };

  const protocol = protocolOf(service.servers);
  const operations = registry.operations
    .filter((operation) => operation.service === serviceId)
    .sort((a, b) => compare(a.operationId, b.operationId));

  // Every message the service touches, with the replies of its commands/queries.
  const used = new Map<string, { event: EventModel; isReply: boolean }>();
  for (const operation of operations) {
    for (const type of operation.eventTypes) {
      const event = eventOf(type, operation);
      used.set(type, { event, isReply: false });
      if (event.replyType !== undefined && !used.has(event.replyType)) {
        const reply = eventsByType.get(event.replyType);
        if (!reply)
          throw new CodegenError(
            `${event.location.file}: reply type ${event.replyType} of ${event.type} is unknown`,
          );
        used.set(reply.type, { event: reply, isReply: true });
      }
    }
  }

  const idents = identsOf([...used.values()].map(({ event }) => event));
  const protoMessages = [...used.values()]
    .map(({ event }) => event.payload)
    .flatMap((payload) => (payload.kind === 'protobuf' ? [payload.messageType] : []));
  const fileOfType = new Map<string, string>();
  for (const file of protoSources(registry)) {
    for (const message of file.messages) fileOfType.set(message, file.file);
  }
  const root = options.protoRoot ?? parseProtoRoot(protoSources(registry));
  const protoTypes = buildProtoTypes(root, protoMessages.sort(compare), (fullName) =>
    fileOfType.get(fullName),
  );
  const jsonModules = jsonTypeModules([...used.values()].map(({ event }) => event));

  // One descriptor per (message, channel) the service uses: a message on two channels publishes and
  // consumes on each operation's own address. The event's primary channel keeps the plain ident.
  const variants = new Map<string, { event: EventModel; channel: EventChannel; ident: string }>();
  const variantOf = (operation: OperationModel, event: EventModel): string => {
    const base = idents.get(event.type) as string;
    const address = operation.channelAddress;
    if (address === '' || address === event.subjectPattern) return base;
    const channel = event.channels.find((candidate) => candidate.address === address);
    if (!channel) return base;
    const key = `${event.type}\u0000${address}`;
    const known = variants.get(key);
    if (known) return known.ident;
    const ident = `${base}${pascalIdent(operation.channelId ?? operation.operationId)}`;
    variants.set(key, { event, channel, ident });
    return ident;
  };
  for (const operation of operations)
    for (const type of operation.eventTypes) variantOf(operation, eventOf(type, operation));

  const messageInput = (
    event: EventModel,
    isReply: boolean,
    ident: string,
    channel?: EventChannel,
  ): MessageInput => {
    const partitionKey = channel ? channel.partitionKey : event.partitionKey;
    const typeInfo =
      event.payload.kind === 'protobuf'
        ? protoTypes.typeOf(event.payload.messageType)
        : {
            tsType: `${camelIdent(event.package)}.${event.name}`,
            namespace: camelIdent(event.package),
            fileName: `${event.package}.ts`,
          };
    return {
      ident,
      type: event.type,
      kind: event.kind,
      context: event.context,
      name: event.name,
      major: event.major,
      subjectPattern: channel?.address ?? event.subjectPattern,
      subjectFilter: channel?.subjectFilter ?? event.subjectFilter,
      ...(event.stream !== undefined ? { stream: event.stream } : {}),
      ...(event.kind === 'event' && event.producer !== undefined ? { producer: event.producer } : {}),
      ...(partitionKey !== undefined
        ? {
            partitionKey: {
              parameter: partitionKey.parameter,
              ...(partitionKey.field !== undefined ? { field: partitionKey.field } : {}),
            },
          }
        : {}),
      subjectParameters: subjectParametersOf(channel?.address ?? event.subjectPattern, partitionKey),
      tsType: typeInfo.tsType,
      typeModule: { namespace: typeInfo.namespace, fileName: typeInfo.fileName },
      codec:
        event.payload.kind === 'protobuf'
          ? { kind: 'protobuf', messageType: event.payload.messageType }
          : event.payload.kind === 'avro'
            ? { kind: 'none', format: 'Avro', reason: noRuntimeCodec.avro }
            : { kind: 'json', schema: event.payload.jsonSchema },
      ...optional('title', event.title),
      ...optional('summary', event.summary),
      ...optional('description', event.description),
      deprecated: event.deprecated,
      ...(event.replyType !== undefined ? { replyIdent: idents.get(event.replyType) as string } : {}),
      isReply,
      exampleOverrides:
        event.payload.kind === 'protobuf' ||
        (event.payload.kind === 'avro'
          ? avroRecordPayload(event.payload.schema)
          : isObjectPayload(event.payload.jsonSchema)),
      // Examples are built once per message, on its plain descriptor.
      examples: channel ? [] : examplesOf(event),
      definedIn: event.location.file,
    };
  };
  const messages: MessageInput[] = [
    ...[...used.values()].map(({ event, isReply }) =>
      messageInput(event, isReply, idents.get(event.type) as string),
    ),
    ...[...variants.values()].map(({ event, channel, ident }) => messageInput(event, false, ident, channel)),
  ];
  messages.sort((a, b) => compare(a.ident, b.ident));

  // Messages without a runtime codec (Avro) get types and examples only: no publisher or handler.
  const operationInputs: OperationInput[] = operations.flatMap((operation) =>
    operation.eventTypes.flatMap((type) => {
      const event = eventOf(type, operation);
      if (!hasRuntimeCodec(event)) return [];
      const ident = variantOf(operation, event);
      const member =
        operation.eventTypes.length > 1 ? `${operation.operationId}${ident}` : operation.operationId;
      if (!TYPESCRIPT_IDENTIFIER.test(member)) {
        const { file, line, column } = operation.location;
        throw new CodegenError(
          `${file}:${line}:${column}: operation id "${operation.operationId}" names a generated method, but ` +
            'is not a TypeScript identifier: rename it using letters, digits, _ and $ (not starting with a digit)',
          { file, kind: 'input' },
        );
      }
      const consumer = consumerOptionsOf(operation, event, serviceId);
      return {
        operationId: operation.operationId,
        action: operation.action,
        requestReply: operation.requestReply || event.replyType !== undefined,
        member,
        message: ident,
        ...(event.replyType !== undefined ? { reply: idents.get(event.replyType) as string } : {}),
        channelAddress: operation.channelAddress,
        ...optional('summary', operation.summary),
        ...optional('description', operation.description),
        ...optional('queue', operation.queueGroup),
        ...(consumer ? { consumer } : {}),
      } satisfies OperationInput;
    }),
  );
  operationInputs.sort((a, b) => compare(a.member, b.member));

  const typeModules = mergeModules([...protoTypes.modules, ...jsonModules]);
  return {
    version: codegenInputVersion,
    service: {
      id: service.id,
      title: service.title,
      pascal: pascalIdent(service.id),
      camel: camelIdent(service.id),
      documentFile: service.document.file,
      ...(protocol === 'nats' ? {} : { protocol, words: protocolWords(protocol) }),
    },
    runtime: options.runtime,
    importExtension: options.importExtension ?? importExtensionOf(registry.config),
    typeModules,
    protoDescriptor: protoTypes.descriptor,
    messages,
    operations: operationInputs,
  };
}

/** Why a payload format gets types and examples only (no descriptor, publisher or handler). */
export const noRuntimeCodec = {
  avro: "eventkit's runtime has no Avro codec: payload types and examples only (encode with avsc or your schema registry's serializer)",
} as const;

/** Whether eventkit's runtime can encode and decode the event's payload (protobuf and JSON: yes; Avro: no). */
export function hasRuntimeCodec(event: EventModel): boolean {
  return event.payload.kind !== 'avro';
}

/** Events service `serviceId` sends or receives whose payload has no runtime codec (types and examples only). */
export function payloadOnlyEvents(registry: Registry, serviceId: string): EventModel[] {
  const types = new Set(
    registry.operations.filter((operation) => operation.service === serviceId).flatMap((o) => o.eventTypes),
  );
  return registry.events.filter((event) => types.has(event.type) && !hasRuntimeCodec(event));
}

function avroRecordPayload(schema: unknown): boolean {
  const model = readAvroSchema(schema);
  return (
    model.root.kind === 'named' &&
    model.named.some(
      (t) => t.fullName === (model.root as { fullName: string }).fullName && t.kind === 'record',
    )
  );
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined || value === '' ? {} : { [key]: value }) as { [P in K]?: string };
}

/** `OrderPlacedV1`; qualified with the context (`PaymentsOrderPlacedV1`) when two contexts share a name. */
function identsOf(events: readonly EventModel[]): Map<string, string> {
  const short = (event: EventModel): string => `${pascalIdent(event.name)}V${event.major}`;
  const counts = new Map<string, number>();
  for (const event of events) counts.set(short(event), (counts.get(short(event)) ?? 0) + 1);
  return new Map(
    events.map((event) => [
      event.type,
      (counts.get(short(event)) ?? 0) > 1 ? `${pascalIdent(event.context)}${short(event)}` : short(event),
    ]),
  );
}

function subjectParametersOf(
  subjectPattern: string,
  partitionKey: EventModel['partitionKey'],
): SubjectParameter[] {
  const names = [...subjectPattern.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string);
  return names.map((name) => {
    const key = partitionKey?.parameter === name ? partitionKey : undefined;
    return {
      name,
      field: key?.field ?? name,
      ...optional('description', key?.description),
    };
  });
}

function consumerOptionsOf(
  operation: OperationModel,
  event: EventModel,
  serviceId: string,
): ConsumerOptions | undefined {
  if (operation.action !== 'receive' || event.kind !== 'event' || !operation.consumer) return undefined;
  const settings = operation.consumer;
  return {
    durable: operation.durables?.[event.type] ?? operation.durable ?? durableName(serviceId, event),
    ackWaitMs: settings.ackWaitMs,
    maxDeliver: settings.maxDeliver,
    backoffMs: [...settings.backoffMs],
    maxAckPending: settings.maxAckPending,
    ordered: settings.ordered,
    deliverPolicy: settings.deliverPolicy,
  };
}

function examplesOf(event: EventModel): MessageInput['examples'] {
  const seen = new Set<string>();
  const keyOf = (name: string, index: number): string => {
    let key = camelIdent(name) || `example${index + 1}`;
    while (seen.has(key) || key === 'default') key = `${key}${index + 1}`;
    seen.add(key);
    return key;
  };
  const examples = event.examples.map((example, index) => ({
    key: example.name === 'default' ? 'default' : keyOf(example.name, index),
    name: example.name,
    ...optional('summary', example.summary),
    payload: example.payload,
  }));
  if (examples.length > 0 && !examples.some((example) => example.key === 'default')) {
    const first = examples[0] as (typeof examples)[number];
    examples.unshift({
      ...first,
      key: 'default',
      summary: `Same as \`${first.key}\`${first.summary ? `: ${first.summary}` : '.'}`,
    });
  }
  return examples;
}

function jsonTypeModules(events: readonly EventModel[]): TsTypeModule[] {
  const byPackage = new Map<
    string,
    { declarations: TsDeclaration[]; sources: Set<string>; avro: AvroPayload[] }
  >();
  for (const event of events) {
    if (event.payload.kind === 'protobuf') continue;
    const entry = byPackage.get(event.package) ?? {
      declarations: [],
      sources: new Set<string>(),
      avro: [],
    };
    byPackage.set(event.package, entry);
    entry.sources.add(event.location.file);
    if (event.payload.kind === 'avro') {
      entry.avro.push({
        name: event.name,
        type: event.type,
        schema: event.payload.schema,
        ...optional('description', event.description),
      });
    } else {
      entry.declarations.push(declarationOfJsonSchema(event.name, event.type, event.payload.jsonSchema));
    }
  }
  for (const entry of byPackage.values()) entry.declarations.push(...avroDeclarations(entry.avro));
  return [...byPackage.entries()].map(([pkg, entry]) => ({
    package: pkg,
    namespace: camelIdent(pkg),
    fileName: `${pkg}.ts`,
    sources: [...entry.sources].sort(compare),
    imports: [],
    declarations: entry.declarations.sort((a, b) => compare(a.name, b.name)),
  }));
}

/** Proto and JSON payloads of the same package share one module. */
function mergeModules(modules: readonly TsTypeModule[]): TsTypeModule[] {
  const merged = new Map<string, TsTypeModule>();
  for (const module of modules) {
    const existing = merged.get(module.package);
    if (!existing) {
      merged.set(module.package, module);
      continue;
    }
    merged.set(module.package, {
      ...existing,
      sources: [...new Set([...existing.sources, ...module.sources])].sort(compare),
      imports: [...existing.imports, ...module.imports].filter(
        (entry, index, all) => all.findIndex((other) => other.fileName === entry.fileName) === index,
      ),
      declarations: [...existing.declarations, ...module.declarations].sort((a, b) =>
        compare(a.name, b.name),
      ),
    });
  }
  return [...merged.values()].sort((a, b) => compare(a.package, b.package));
}
