// Builds the registry (services, events, operations, streams) from parsed AsyncAPI documents and the proto
// library. Problems found on the way (unknown proto messages, bad x-eventkit-* settings) are diagnostics.

import path from 'node:path';
import type protobuf from 'protobufjs';
import type { SourceDocument } from '../asyncapi/documents.ts';
import type { RawDocuments } from '../asyncapi/refs.ts';
import { isProtobufSchemaFormat } from '../asyncapi/schema-parser.ts';
import {
  type AvroPath,
  avroFieldModels,
  avroJsonSchema,
  isAvroSchemaFormat,
  readAvroSchema,
} from '../avro/avro-schema.ts';
import { diagnostic, location } from '../diagnostics.ts';
import { plainCopy } from '../freeze.ts';
import {
  addressParameters,
  channelDurableName,
  durableName,
  eventTypeProblem,
  jsonEventType,
  kebabCase,
  pascalCase,
  protocolOf,
  serviceIdProblem,
  slug,
  splitVersionedPackage,
  streamName,
  subjectFilter,
  subjectMajor,
  usesJetStream,
} from '../names.ts';
import { protoDescriptor } from '../proto/descriptor.ts';
import type { InlineProtoResult } from '../proto/inline.ts';
import { looksLikeProtoSource } from '../proto/inline.ts';
import { jsonViewSchema, protoFieldModels } from '../proto/json-view.ts';
import type { ProtoLibrary } from '../proto/library.ts';
import { pointerSegments } from '../source-map.ts';
import type {
  Diagnostic,
  EventChannel,
  EventkitConfig,
  EventModel,
  ExampleModel,
  JsonSchema,
  MessageKind,
  OperationModel,
  Owner,
  PayloadModel,
  Registry,
  ServiceModel,
  SourceLocation,
  StreamModel,
} from '../types.ts';
import { publishedAggregateEvents, readAggregates } from './aggregates.ts';
import { jsonSchemaFieldModels, mergeAllOf } from './json-schema-fields.ts';
import { consumerSettings, type SettingProblem, streamSettings } from './settings.ts';

export interface ParsedDocument {
  readonly document: SourceDocument;
  /** `document.json()` of the AsyncAPI parser: $refs resolved, schemas parsed. */
  readonly resolved: Record<string, unknown>;
}

export interface BuildInput {
  readonly config: EventkitConfig;
  readonly documents: readonly ParsedDocument[];
  readonly library: ProtoLibrary;
  readonly inlineProto: (text: string, preferredName?: string) => InlineProtoResult;
  readonly refs: RawDocuments;
}

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** `bindings.nats.queue` of an operation: the queue group its responders or subscribers share. */
function natsQueueGroup(operation: Record<string, unknown>): string | undefined {
  const bindings = operation.bindings;
  if (typeof bindings !== 'object' || bindings === null) return undefined;
  const nats = (bindings as Record<string, unknown>).nats;
  if (typeof nats !== 'object' || nats === null) return undefined;
  return str((nats as Record<string, unknown>).queue);
}
const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
const sortedKeys = (v: unknown): string[] => (isObject(v) ? Object.keys(v).sort() : []);

interface MessageInfo {
  readonly type: string;
  readonly name: string;
  readonly package: string;
  readonly context: string;
  readonly major: number;
  readonly payload: PayloadModel;
  readonly contentType: EventModel['contentType'];
  /** Doc comment and deprecation of the proto message (library or inline). */
  readonly protoComment?: string;
  readonly protoDeprecated?: boolean;
  /** Description of a JSON Schema payload (also inside `allOf`) or doc of an Avro payload's record. */
  readonly schemaDoc?: string;
}

type Role = 'event' | 'request' | 'reply';

interface Usage {
  readonly service: ServiceModel;
  readonly operationId: string;
  readonly action: 'send' | 'receive';
  readonly role: Role;
  readonly address: string | null;
  readonly channelId?: string;
  readonly channelLocation?: SourceLocation;
  readonly channelParameters: Raw;
  readonly message: Raw;
  readonly definition: SourceLocation;
  readonly info: MessageInfo;
  /** For replies: the request type of the same operation. */
  readonly requestType?: string;
  readonly requestKind?: MessageKind;
}

export function requestKind(address: string | null, name: string): MessageKind {
  if (address?.startsWith('query.')) return 'query';
  if (address?.startsWith('cmd.') || address?.startsWith('command.')) return 'command';
  return /^(Get|List|Find|Search|Query|Fetch|Lookup|Count)[A-Z0-9]/.test(name) ? 'query' : 'command';
}

function ownerOf(info: Raw): Owner | undefined {
  const contact = isObject(info.contact) ? info.contact : {};
  const owner = isObject(info['x-eventkit-owner']) ? info['x-eventkit-owner'] : {};
  const team = str(owner.team) ?? str(contact.name);
  if (!team && !str(contact.email) && !str(owner.slack)) return undefined;
  return {
    team: team ?? '',
    ...(str(contact.name) ? { name: str(contact.name) } : {}),
    ...(str(contact.email) ? { email: str(contact.email) } : {}),
    ...((str(contact.url) ?? str(owner.url)) ? { url: str(contact.url) ?? str(owner.url) } : {}),
    ...(str(owner.slack) ? { slack: str(owner.slack) } : {}),
  };
}

/**
 * Service id: `info.x-eventkit-service`, else `info.title` slugged (`Order Service` → `order-service`), else
 * the folder name when the file is `asyncapi.yaml` (folder-per-service layouts), else the file name.
 */
export function serviceId(info: Raw, file: string): string {
  const declared = str(info['x-eventkit-service']);
  if (declared) return declared;
  const title = str(info.title) ? slug(str(info.title) as string) : '';
  if (title) return title;
  const base = path.basename(file).replace(/\.(ya?ml|json)$/i, '');
  const folder = path.basename(path.dirname(file));
  return base.toLowerCase() === 'asyncapi' && folder && folder !== '.' ? slug(folder) || base : base;
}

export function buildRegistry(input: BuildInput): { registry: Registry; diagnostics: Diagnostic[] } {
  const { config, library, refs } = input;
  const diagnostics: Diagnostic[] = [];
  const settingProblems = (problems: SettingProblem[], abs: string, base: (string | number)[]) => {
    for (const p of problems) {
      diagnostics.push(
        diagnostic('eventkit-extension', p.message, refs.locate(abs, p.key ? [...base, p.key] : base)),
      );
    }
  };

  // Services, one per document.
  const services: ServiceModel[] = [];
  const serviceOfFile = new Map<string, ServiceModel>();
  const streamDeclarations = new Map<string, { raw: unknown; abs: string }>();
  const seenIds = new Map<string, string>();
  for (const { document, resolved } of input.documents) {
    const info = isObject(resolved.info) ? resolved.info : {};
    const id = serviceId(info, document.file);
    const idProblem = serviceIdProblem(id);
    if (idProblem) {
      // The id names folders and files (codegen writes <output>/<id>/generated): never a path.
      diagnostics.push(
        diagnostic(
          'service-id-invalid',
          idProblem,
          refs.locate(
            document.absolutePath,
            info['x-eventkit-service'] ? ['info', 'x-eventkit-service'] : ['info'],
          ),
          { hint: 'Set info.x-eventkit-service to a plain name such as "orders".' },
        ),
      );
      continue;
    }
    if (seenIds.has(id)) {
      diagnostics.push(
        diagnostic(
          'service-duplicate',
          `service id "${id}" is also used by ${seenIds.get(id)}`,
          refs.locate(document.absolutePath, ['info']),
          {
            hint: 'Give each document its own info.x-eventkit-service (or its own info.title).',
          },
        ),
      );
      continue;
    }
    seenIds.set(id, document.file);
    const context = str(info['x-eventkit-context']) ?? id;
    const tags = Array.isArray(info.tags)
      ? info.tags.map((t) => (isObject(t) ? str(t.name) : undefined)).filter((t): t is string => Boolean(t))
      : [];
    const owner = ownerOf(info);
    const servers = sortedKeys(resolved.servers).map((serverId) => {
      const s = (resolved.servers as Raw)[serverId] as Raw;
      const clusterSize = s['x-eventkit-cluster-size'];
      const validSize = typeof clusterSize === 'number' && Number.isInteger(clusterSize) && clusterSize >= 1;
      if (clusterSize !== undefined && !validSize)
        diagnostics.push(
          diagnostic(
            'eventkit-extension',
            `x-eventkit-cluster-size must be a whole number of servers (at least 1), got ${JSON.stringify(clusterSize)}`,
            refs.locate(document.absolutePath, ['servers', serverId, 'x-eventkit-cluster-size']),
          ),
        );
      return {
        id: serverId,
        host: String(s.host ?? ''),
        protocol: String(s.protocol ?? ''),
        ...(str(s.description) ? { description: str(s.description) } : {}),
        ...(validSize ? { clusterSize } : {}),
      };
    });
    const ops = isObject(resolved.operations) ? resolved.operations : {};
    const service: ServiceModel = {
      id,
      context,
      title: str(info.title) ?? id,
      version: String(info.version ?? ''),
      ...(str(info.description) ? { description: str(info.description) } : {}),
      ...(owner ? { owner } : {}),
      tags: tags.sort(),
      document: { file: document.file, raw: document.raw },
      servers,
      aggregates: readAggregates({
        info,
        locate: (segments) => refs.locate(document.absolutePath, segments),
        library,
        diagnostics,
      }),
      sends: sortedKeys(ops)
        .filter((k) => (ops[k] as Raw)?.action === 'send')
        .map((k) => `${id}.${k}`),
      receives: sortedKeys(ops)
        .filter((k) => (ops[k] as Raw)?.action === 'receive')
        .map((k) => `${id}.${k}`),
      location: location(document.file, 1, 1, ''),
    };
    services.push(service);
    serviceOfFile.set(document.absolutePath, service);
    if (resolved['x-eventkit-stream'] !== undefined && !streamDeclarations.has(context)) {
      streamDeclarations.set(context, { raw: resolved['x-eventkit-stream'], abs: document.absolutePath });
    }
  }

  // A message defined outside every service document (a shared `common/` file) belongs to the context of
  // the service that sends it, whichever document happens to load it first.
  const senderOf = new Map<string, ServiceModel>();
  for (const { document, resolved } of [...input.documents].sort(
    byKey((d) => serviceOfFile.get(d.document.absolutePath)?.id ?? ''),
  )) {
    const service = serviceOfFile.get(document.absolutePath);
    if (!service) continue;
    const ops = isObject(resolved.operations) ? resolved.operations : {};
    for (const operationId of sortedKeys(ops)) {
      const op = ops[operationId] as Raw;
      if (op.action !== 'send') continue;
      const channel = isObject(op.channel) ? op.channel : {};
      const paths: (string | number)[][] =
        Array.isArray(op.messages) && op.messages.length > 0
          ? op.messages.map((_, i) => ['operations', operationId, 'messages', i])
          : sortedKeys(channel.messages).map((k) => ['operations', operationId, 'channel', 'messages', k]);
      for (const rawPath of paths) {
        const definition = refs.definition(document.absolutePath, rawPath);
        const key = `${definition.file}#${definition.pointer}`;
        if (!senderOf.has(key)) senderOf.set(key, service);
      }
    }
  }

  // Message → event type information, cached per definition.
  const infoCache = new Map<string, MessageInfo | null>();
  const messageInfo = (
    message: Raw,
    definition: SourceLocation,
    service: ServiceModel,
    address: string | null,
  ): MessageInfo | undefined => {
    const key = `${definition.file}#${definition.pointer}`;
    if (infoCache.has(key)) return infoCache.get(key) ?? undefined;
    const info = computeMessageInfo(message, definition, service, address);
    infoCache.set(key, info ?? null);
    return info;
  };
  const computeMessageInfo = (
    message: Raw,
    definition: SourceLocation,
    service: ServiceModel,
    address: string | null,
  ): MessageInfo | undefined => {
    const payload = isObject(message.payload) ? message.payload : undefined;
    const messageName =
      str(message.name) ??
      str(message['x-parser-message-name']) ??
      str(message['x-parser-unique-object-id']) ??
      'Message';
    const payloadPointer = `${definition.pointer ?? ''}/payload`;
    const payloadLocation = (suffix = '') => {
      const definitionFile = path.resolve(config.root, definition.file);
      return refs.locate(definitionFile, `${payloadPointer}${suffix}`.split('/').filter(Boolean));
    };
    if (payload && isProtobufSchemaFormat(payload.schemaFormat)) {
      const original = payload['x-parser-original-payload'] ?? payload.schema;
      if (typeof original !== 'string') {
        diagnostics.push(
          diagnostic(
            'proto-not-found',
            'a protobuf payload must name a proto message (e.g. orders.v1.OrderPlaced) or hold inline proto text',
            payloadLocation('/schema'),
          ),
        );
        return undefined;
      }
      let type: protobuf.Type | undefined;
      let protoFile: string;
      let protoSource: string;
      if (looksLikeProtoSource(original)) {
        const result = input.inlineProto(original, messageName);
        if (!result.ok) {
          const at = payloadLocation('/schema');
          // Block scalars start on the line after the key.
          diagnostics.push(
            diagnostic('proto-syntax', `inline proto: ${result.message}`, {
              ...at,
              line: at.line + result.line,
            }),
          );
          return undefined;
        }
        type = result.type;
        protoFile = definition.file;
        protoSource = original;
      } else {
        const name = original.trim().replace(/^\./, '');
        type = library.findType(name);
        if (!type) {
          const broken =
            library.brokenFiles.length > 0 ? ` (${library.brokenFiles.join(', ')} could not be parsed)` : '';
          diagnostics.push(
            diagnostic(
              'proto-not-found',
              `proto message "${name}" not found in the proto roots (${config.protoRoots.join(', ')})${broken}`,
              payloadLocation('/schema'),
              {
                hint: 'Use the fully-qualified name (package + message) of a message declared under a proto root.',
              },
            ),
          );
          return undefined;
        }
        const file = library.fileOf(name);
        protoFile = file?.file ?? '';
        protoSource = file?.source ?? '';
      }
      const fullName = type.fullName.replace(/^\./, '');
      const pkg = fullName.split('.').slice(0, -1).join('.');
      const split = splitVersionedPackage(pkg);
      return {
        type: fullName,
        name: type.name,
        package: pkg,
        context: split.context || service.context,
        major: split.major ?? subjectMajor(address ?? '') ?? 1,
        payload: {
          kind: 'protobuf',
          messageType: fullName,
          protoFile,
          protoSource,
          descriptor: protoDescriptor(type),
          jsonSchema: jsonViewSchema(type),
          fields: protoFieldModels(type, (t, m) => library.locate(t, m)),
        },
        contentType: 'application/protobuf',
        ...(type.comment ? { protoComment: type.comment.trim() } : {}),
        ...(type.options?.deprecated ? { protoDeprecated: true } : {}),
      };
    }
    // JSON Schema payload (AsyncAPI default format or application/schema+json), or Avro.
    const schemaSource =
      payload && 'schemaFormat' in payload && 'schema' in payload ? payload.schema : payload;
    const avro =
      payload && isAvroSchemaFormat(payload.schemaFormat)
        ? readAvroPayload(schemaSource, (at) =>
            refs.definition(path.resolve(config.root, definition.file), [
              ...pointerSegments(payloadPointer),
              'schema',
              ...at,
            ]),
          )
        : undefined;
    const jsonSchema = (isObject(schemaSource) ? plainCopy(schemaSource) : {}) as JsonSchema;
    const definingService =
      serviceOfFile.get(path.resolve(config.root, definition.file)) ??
      senderOf.get(`${definition.file}#${definition.pointer}`) ??
      service;
    let explicit = str(message['x-eventkit-type']);
    const typeProblem = explicit === undefined ? undefined : eventTypeProblem(explicit);
    if (typeProblem) {
      // The type becomes TypeScript identifiers and strings in generated code: only a type name may.
      diagnostics.push(
        diagnostic(
          'event-type-invalid',
          typeProblem,
          refs.locate(path.resolve(config.root, definition.file), [
            ...pointerSegments(definition.pointer ?? ''),
            'x-eventkit-type',
          ]),
          { hint: 'Set x-eventkit-type to <context>.v<major>.<MessageName>, e.g. orders.v1.OrderPlaced.' },
        ),
      );
      explicit = undefined;
    }
    let type: string;
    let pkg: string;
    let name: string;
    if (explicit) {
      type = explicit;
      const parts = explicit.split('.');
      name = parts.pop() as string;
      pkg = parts.join('.') || `${definingService.context}.v${subjectMajor(address ?? '') ?? 1}`;
    } else {
      name = pascalCase(messageName);
      pkg = `${definingService.context}.v${subjectMajor(address ?? '') ?? 1}`;
      type = jsonEventType(definingService.context, subjectMajor(address ?? '') ?? 1, messageName);
    }
    const split = splitVersionedPackage(pkg);
    return {
      type,
      name,
      package: pkg,
      context: split.context || definingService.context,
      major: split.major ?? subjectMajor(address ?? '') ?? 1,
      payload: avro ?? { kind: 'jsonschema', jsonSchema, fields: jsonSchemaFieldModels(jsonSchema) },
      ...schemaDocOf(avro?.jsonSchema ?? mergeAllOf(jsonSchema)),
      contentType: avro ? 'avro/binary' : 'application/json',
    };
  };
  /** An Avro payload, its schema problems reported where they are written (also inside an .avsc file). */
  const readAvroPayload = (source: unknown, avroLocation: (at: AvroPath) => SourceLocation): PayloadModel => {
    // `…avro+json` schemas may be given as JSON text.
    const schema = typeof source === 'string' ? parseJsonText(source) : plainCopy(source);
    const model = readAvroSchema(schema);
    for (const problem of model.problems) {
      diagnostics.push(
        diagnostic(
          problem.severity === 'error' ? 'avro-schema-invalid' : 'avro-unsupported',
          problem.message,
          avroLocation(problem.path),
          {
            severity: problem.severity,
            hint:
              problem.severity === 'error'
                ? 'Fix the Avro schema (https://avro.apache.org/docs/1.11.1/specification/); eventkit reads it with avsc.'
                : 'eventkit types the value as the underlying Avro type.',
          },
        ),
      );
    }
    return {
      kind: 'avro',
      schema,
      ...(model.root.kind === 'named' ? { avroName: model.root.fullName } : {}),
      jsonSchema: avroJsonSchema(model),
      fields: avroFieldModels(model),
    };
  };

  // Walk every operation's messages.
  const usages: Usage[] = [];
  let operations: OperationModel[] = [];
  const declaredDurables = new Map<string, string>();
  for (const { document, resolved } of input.documents) {
    const service = serviceOfFile.get(document.absolutePath);
    if (!service) continue;
    const abs = document.absolutePath;
    const ops = isObject(resolved.operations) ? resolved.operations : {};
    for (const operationId of sortedKeys(ops)) {
      const op = ops[operationId] as Raw;
      const action = op.action === 'receive' ? 'receive' : 'send';
      const channel = isObject(op.channel) ? op.channel : {};
      const address = typeof channel.address === 'string' ? channel.address : null;
      const channelId = str(channel['x-parser-unique-object-id']);
      const channelNode = refs.resolve(abs, ['operations', operationId, 'channel']);
      const channelLocation = channelNode
        ? refs.locate(channelNode.absolutePath, [...channelNode.segments, 'address'])
        : undefined;
      const channelParameters = isObject(channel.parameters) ? channel.parameters : {};
      const reply = isObject(op.reply) ? op.reply : undefined;
      const opLocation = refs.locate(abs, ['operations', operationId]);
      const messagesOf = (
        list: unknown,
        listPath: (string | number)[],
        fallback: Raw,
        fallbackPath: (string | number)[],
      ) => {
        if (Array.isArray(list) && list.length > 0)
          return list.map((m, i) => ({ message: m as Raw, rawPath: [...listPath, i] }));
        return sortedKeys(fallback).map((k) => ({
          message: fallback[k] as Raw,
          rawPath: [...fallbackPath, k],
        }));
      };
      const collect = (
        role: Role,
        items: { message: Raw; rawPath: (string | number)[] }[],
        addr: string | null,
        extra: Partial<Usage> = {},
      ) => {
        const types: string[] = [];
        for (const { message, rawPath } of items) {
          if (!isObject(message)) continue;
          const definition = refs.definition(abs, rawPath);
          const info = messageInfo(message, definition, service, addr);
          if (!info) {
            const payload = isObject(message.payload) ? message.payload : {};
            const original = payload['x-parser-original-payload'] ?? payload.schema;
            const unresolvedType =
              typeof original === 'string' && !looksLikeProtoSource(original)
                ? original.trim()
                : `${service.context}.unresolved.${str(message.name) ?? 'Message'}`;
            types.push(unresolvedType);
            unresolved.add(unresolvedType);
            continue;
          }
          types.push(info.type);
          usages.push({
            service,
            operationId,
            action,
            role,
            address: addr,
            ...(channelId ? { channelId } : {}),
            ...(channelLocation && role !== 'reply' ? { channelLocation } : {}),
            channelParameters: role === 'reply' ? {} : channelParameters,
            message,
            definition,
            info,
            ...extra,
          });
        }
        return [...new Set(types)];
      };
      const unresolved = new Set<string>();
      const requestRole: Role = reply ? 'request' : 'event';
      const eventTypes = collect(
        requestRole,
        messagesOf(
          op.messages,
          ['operations', operationId, 'messages'],
          isObject(channel.messages) ? channel.messages : {},
          ['operations', operationId, 'channel', 'messages'],
        ),
        address,
      );
      let replyTypes: string[] | undefined;
      if (reply) {
        const replyChannel = isObject(reply.channel) ? reply.channel : {};
        const replyAddress = typeof replyChannel.address === 'string' ? replyChannel.address : null;
        const firstRequest = usages.find(
          (u) => u.service === service && u.operationId === operationId && u.role === 'request',
        );
        replyTypes = collect(
          'reply',
          messagesOf(
            reply.messages,
            ['operations', operationId, 'reply', 'messages'],
            isObject(replyChannel.messages) ? replyChannel.messages : {},
            ['operations', operationId, 'reply', 'channel', 'messages'],
          ),
          replyAddress,
          firstRequest
            ? {
                requestType: firstRequest.info.type,
                requestKind: requestKind(address, firstRequest.info.name),
              }
            : {},
        );
      }
      let consumer: OperationModel['consumer'];
      // Durable consumers are JetStream's: receive operations of a Kafka/AMQP/MQTT/WS service have none.
      if (action === 'receive' && !reply && usesJetStream(protocolOf(service.servers))) {
        const problems: SettingProblem[] = [];
        const parsed = consumerSettings(op['x-eventkit-consumer'], problems);
        settingProblems(problems, abs, ['operations', operationId, 'x-eventkit-consumer']);
        consumer = parsed.settings;
        if (parsed.durable) declaredDurables.set(`${service.id}.${operationId}`, parsed.durable);
      }
      operations.push({
        id: `${service.id}.${operationId}`,
        operationId,
        service: service.id,
        action,
        eventTypes,
        channelAddress: address ?? '',
        requestReply: Boolean(reply),
        ...(natsQueueGroup(op) ? { queueGroup: natsQueueGroup(op) } : {}),
        ...(str(op.summary) ? { summary: str(op.summary) } : {}),
        ...(str(op.description) ? { description: str(op.description) } : {}),
        ...(consumer ? { consumer } : {}),
        location: opLocation,
        ...(channelId ? { channelId } : {}),
        ...(channelLocation ? { channelLocation } : {}),
        ...(replyTypes ? { replyTypes } : {}),
        ...(unresolved.size > 0 ? { unresolvedTypes: [...unresolved].sort() } : {}),
      });
    }
  }

  // Streams, one per context that has events.
  const streamOf = new Map<
    string,
    { name: string; settings: StreamModel['settings']; description?: string; location?: SourceLocation }
  >();
  const streamFor = (context: string) => {
    let stream = streamOf.get(context);
    if (!stream) {
      const declared = streamDeclarations.get(context);
      const problems: SettingProblem[] = [];
      const parsed = streamSettings(declared?.raw, problems);
      if (declared) settingProblems(problems, declared.abs, ['x-eventkit-stream']);
      stream = {
        name: parsed.name ?? streamName(context),
        settings: parsed.settings,
        ...(parsed.description ? { description: parsed.description } : {}),
        ...(declared ? { location: refs.locate(declared.abs, ['x-eventkit-stream']) } : {}),
      };
      streamOf.set(context, stream);
    }
    return stream;
  };

  // Events, grouped by type.
  const byType = new Map<string, Usage[]>();
  for (const u of usages) {
    const list = byType.get(u.info.type) ?? [];
    list.push(u);
    byType.set(u.info.type, list);
  }
  const events: EventModel[] = [];
  for (const [type, list] of byType) {
    const definitionKey = (l: SourceLocation) => `${l.file}#${l.pointer ?? ''}`;
    const definedHere = (u: Usage) => u.service.document.file === u.definition.file;
    const rank = (u: Usage) => (definedHere(u) ? 0 : 2) + (u.action === 'send' ? 0 : 1);
    const sorted = [...list].sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (a.service.id < b.service.id ? -1 : a.service.id > b.service.id ? 1 : 0) ||
        (a.operationId < b.operationId ? -1 : 1),
    );
    const primary = sorted[0] as Usage;
    const definitions = new Map<string, SourceLocation>();
    for (const u of sorted)
      if (!definitions.has(definitionKey(u.definition)))
        definitions.set(definitionKey(u.definition), u.definition);
    const others = [...definitions.values()].filter(
      (l) => definitionKey(l) !== definitionKey(primary.definition),
    );
    const info = primary.info;
    const role = primary.role;
    const kind: MessageKind =
      role === 'event'
        ? 'event'
        : role === 'request'
          ? requestKind(primary.address, info.name)
          : (primary.requestKind ?? 'command');
    const address = primary.address ?? '';
    const partitionKey = partitionKeyOf(address, primary.channelParameters);
    const channels = channelsOf(primary, list);
    const producers = [
      ...new Set(list.filter((u) => u.action === 'send' && u.role !== 'reply').map((u) => u.service.id)),
    ].sort();
    const responders = [
      ...new Set(list.filter((u) => u.role === 'reply' && u.action === 'receive').map((u) => u.service.id)),
    ].sort();
    const consumers = [
      ...new Set(list.filter((u) => u.action === 'receive' && u.role !== 'reply').map((u) => u.service.id)),
    ].sort();
    const message = primary.message;
    const definitionFile = path.resolve(config.root, primary.definition.file);
    const definitionSegments = (primary.definition.pointer ?? '')
      .split('/')
      .filter(Boolean)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const examples: ExampleModel[] = (Array.isArray(message.examples) ? message.examples : []).map(
      (raw, i) => {
        const ex = isObject(raw) ? raw : {};
        const headers = isObject(ex.headers)
          ? Object.fromEntries(
              Object.entries(ex.headers).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
            )
          : undefined;
        return {
          name: str(ex.name) ?? `example-${i + 1}`,
          ...(str(ex.summary) ? { summary: str(ex.summary) } : {}),
          payload: plainCopy(ex.payload),
          ...(headers ? { headers } : {}),
          location: refs.locate(definitionFile, [...definitionSegments, 'examples', i]),
        };
      },
    );
    const replyUsage =
      kind !== 'event' && role === 'request'
        ? usages.find((u) => u.role === 'reply' && u.requestType === type)
        : undefined;
    const description = str(message.description) ?? info.protoComment ?? info.schemaDoc;
    const deprecated =
      message.deprecated === true ||
      message['x-eventkit-deprecated'] === true ||
      info.protoDeprecated === true;
    const event: EventModel = {
      type,
      kind,
      name: info.name,
      kebab: kebabCase(info.name),
      context: info.context,
      major: info.major,
      package: info.package,
      ...(str(message.title) ? { title: str(message.title) } : {}),
      ...(str(message.summary) ? { summary: str(message.summary) } : {}),
      ...(description ? { description } : {}),
      subjectPattern: address,
      subjectFilter: subjectFilter(address),
      channels,
      ...(partitionKey ? { partitionKey } : {}),
      ...(kind === 'event' &&
      usesJetStream(protocolOf(primary.service.servers)) &&
      channels.some((c) => c.subjectFilter)
        ? { stream: streamFor(info.context).name }
        : {}),
      contentType: info.contentType,
      payload: info.payload,
      ...(isObject(message.headers)
        ? {
            headers: plainCopy(
              isObject(message.headers.schema) && 'schemaFormat' in message.headers
                ? message.headers.schema
                : message.headers,
            ) as JsonSchema,
          }
        : {}),
      ...(replyUsage ? { replyType: replyUsage.info.type } : {}),
      examples,
      ...(role === 'reply'
        ? responders[0]
          ? { producer: responders[0] }
          : {}
        : producers[0]
          ? // The sender whose document defines the message owns it; other senders are lint errors.
            { producer: producers.includes(primary.service.id) ? primary.service.id : producers[0] }
          : {}),
      consumers,
      deprecated,
      location: primary.definition,
      ...(primary.channelLocation ? { channelLocation: primary.channelLocation } : {}),
      ...(role === 'reply' && primary.requestType ? { replyOf: primary.requestType } : {}),
      ...(others.length > 0 ? { otherDefinitions: others } : {}),
    };
    events.push(event);
  }

  const streams: StreamModel[] = [];
  for (const [context, stream] of [...streamOf].sort(byKey(([c]) => c))) {
    const subjects = [
      ...new Set(
        events
          .filter((e) => e.kind === 'event' && e.context === context)
          .flatMap((e) => e.channels.map((c) => c.subjectFilter))
          .filter(Boolean),
      ),
    ].sort();
    streams.push({
      name: stream.name,
      context,
      subjects,
      settings: stream.settings,
      ...(stream.description ? { description: stream.description } : {}),
      ...(stream.location ? { location: stream.location } : {}),
    });
  }

  operations = withDurables(operations, events, declaredDurables);
  diagnostics.push(...publishedAggregateEvents(services, new Set(events.map((e) => e.type))));

  const registry: Registry = {
    config,
    services: services.sort(byKey((s) => s.id)),
    events: events.sort(byKey((e) => e.type)),
    operations: operations.sort(byKey((o) => o.id)),
    streams: streams.sort(byKey((s) => s.name)),
    protoFiles: [...library.files],
  };
  return { registry, diagnostics };
}

/** The partition key of an address: its trailing `{parameter}`, read from `x-eventkit-field` when declared. */
function partitionKeyOf(address: string, channelParameters: Raw): EventChannel['partitionKey'] {
  const params = addressParameters(address);
  const lastParam = params[params.length - 1];
  if (lastParam === undefined || !address.endsWith(`{${lastParam}}`)) return undefined;
  const parameter = isObject(channelParameters[lastParam]) ? (channelParameters[lastParam] as Raw) : {};
  return {
    parameter: lastParam,
    field: str(parameter['x-eventkit-field']) ?? lastParam,
    ...(str(parameter.description) ? { description: str(parameter.description) } : {}),
  };
}

/** One entry per address the message travels on, the primary (sender's) first, then sorted by address. */
function channelsOf(primary: Usage, list: readonly Usage[]): EventChannel[] {
  const byAddress = new Map<string, Usage[]>();
  for (const u of list) {
    const address = u.address ?? '';
    byAddress.set(address, [...(byAddress.get(address) ?? []), u]);
  }
  const primaryAddress = primary.address ?? '';
  const addresses = [...byAddress.keys()].sort((a, b) =>
    a === primaryAddress ? -1 : b === primaryAddress ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  return addresses.map((address) => {
    const uses = byAddress.get(address) ?? [];
    // The sender's view of the channel (its parameters and where the address is written) comes first.
    const lead =
      address === primaryAddress ? primary : (uses.find((u) => u.action === 'send') ?? (uses[0] as Usage));
    const partitionKey = partitionKeyOf(address, lead.channelParameters);
    const location = lead.channelLocation ?? uses.find((u) => u.channelLocation)?.channelLocation;
    return {
      address,
      subjectFilter: subjectFilter(address),
      ...(partitionKey ? { partitionKey } : {}),
      operations: [...new Set(uses.map((u) => `${u.service.id}.${u.operationId}`))].sort(),
      ...(location ? { location } : {}),
    };
  });
}

/**
 * Durables of the receive operations on events (names from `names.ts`): the declared
 * `x-eventkit-consumer.durable` for an operation's first event type, else `<service>--<event-kebab>-v<major>`;
 * a service receiving one event on several channels gets the operation id appended for all but the
 * operation on the event's primary channel, so each (operation, channel) pair has its own durable.
 */
function withDurables(
  operations: readonly OperationModel[],
  events: readonly EventModel[],
  declared: ReadonlyMap<string, string>,
): OperationModel[] {
  const eventOf = new Map(events.map((e) => [e.type, e]));
  const receivers = operations.filter((op) => op.action === 'receive' && !op.requestReply && op.consumer);
  // Operations of one service receiving one type, primary channel first, then by operation id.
  const peers = new Map<string, OperationModel[]>();
  for (const op of receivers)
    for (const type of op.eventTypes) {
      const key = `${op.service}\u0000${type}`;
      peers.set(key, [...(peers.get(key) ?? []), op]);
    }
  for (const [key, list] of peers) {
    const primary = eventOf.get(key.split('\u0000')[1] as string)?.subjectPattern;
    list.sort(
      (a, b) =>
        Number(b.channelAddress === primary) - Number(a.channelAddress === primary) ||
        (a.operationId < b.operationId ? -1 : 1),
    );
  }
  return operations.map((op) => {
    if (!receivers.includes(op)) return op;
    const durables: Record<string, string> = {};
    op.eventTypes.forEach((type, index) => {
      const event = eventOf.get(type);
      const name = event?.name ?? (type.split('.').pop() as string);
      const major = event?.major ?? subjectMajor(op.channelAddress) ?? 1;
      const explicit = index === 0 ? declared.get(op.id) : undefined;
      const first = peers.get(`${op.service}\u0000${type}`)?.[0] === op;
      durables[type] =
        explicit ??
        (first
          ? durableName(op.service, { name, major })
          : channelDurableName(op.service, { name, major }, op.operationId));
    });
    const first = op.eventTypes[0];
    return { ...op, ...(first !== undefined ? { durable: durables[first] } : {}), durables };
  });
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The payload schema's description, the event's description when its message has none. */
function schemaDocOf(schema: JsonSchema): { schemaDoc?: string } {
  const text = typeof schema.description === 'string' ? schema.description.trim() : '';
  return text === '' ? {} : { schemaDoc: text };
}
