// Adds an event's channel, operations and component message to an AsyncAPI document through the `yaml`
// package's document API, so the user's comments, key order and formatting survive the edit.
import { type Document, isMap, type YAMLMap } from 'yaml';
import { ScaffoldError } from './errors.ts';
import type { EventNames } from './event-name.ts';

/** A sortable 26-character id for examples, fixed per event so the scaffold is deterministic. */
function exampleId(seed: string): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let hash = 2166136261;
  let out = '01JE';
  for (let i = 0; out.length < 26; i++) {
    hash = Math.imul(hash ^ seed.charCodeAt(i % seed.length), 16777619) >>> 0;
    out += alphabet[hash % 32];
  }
  return out;
}

/** `InvoiceIssued` → `Invoice issued`. */
function sentence(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The CloudEvents NATS binary-mode headers every event message declares (rule headers-cloudevents). */
function cloudEventHeaders(type: string): Record<string, unknown> {
  return {
    type: 'object',
    description: 'CloudEvents 1.0 NATS binding, binary mode. The transport also sets Nats-Msg-Id to ce-id.',
    required: ['ce-specversion', 'ce-id', 'ce-source', 'ce-type', 'ce-time', 'content-type'],
    properties: {
      'ce-specversion': { type: 'string', const: '1.0' },
      'ce-id': {
        type: 'string',
        minLength: 1,
        description: 'Unique id of this event; consumers dedupe on it.',
      },
      'ce-source': { type: 'string', minLength: 1, description: 'The service that sent the event.' },
      'ce-type': { type: 'string', const: type },
      'ce-time': { type: 'string', format: 'date-time' },
      'ce-subject': { type: 'string', description: 'The partition key value.' },
      'content-type': { type: 'string', enum: ['application/protobuf', 'application/json'] },
      'ce-correlationid': { type: 'string', description: 'Id shared by every message of one business flow.' },
      'ce-causationid': { type: 'string', description: 'ce-id of the message that caused this one.' },
      traceparent: { type: 'string', description: 'W3C Trace Context of the sending span.' },
    },
  };
}

export interface EventExample {
  /** Payload in the proto3 canonical JSON view. */
  readonly payload: Record<string, unknown>;
  /** The partition key value in the payload. */
  readonly key: string;
}

export interface AddToDocumentOptions {
  /** The service that sends the event (`ce-source` of the example). */
  readonly service: string;
  readonly stream: string;
  readonly send: boolean;
  readonly receive: boolean;
  readonly example: EventExample;
  /** Document file relative to the project root, for messages. */
  readonly file: string;
}

function section(doc: Document, key: string, file: string): YAMLMap {
  const existing = doc.get(key, true);
  if (existing === undefined || existing === null) {
    doc.set(key, doc.createNode({}));
    return doc.get(key, true) as YAMLMap;
  }
  if (!isMap(existing))
    throw new ScaffoldError(`${file}: "${key}" is not a mapping`, { kind: 'bad-input', file });
  // An empty `{}` would keep its flow style and put every new entry on one line.
  if (existing.items.length === 0) existing.flow = false;
  return existing;
}

/** Refuses when any name the event needs is taken in the document. */
function assertFree(doc: Document, names: EventNames, options: AddToDocumentOptions): void {
  const taken: string[] = [];
  if (doc.hasIn(['channels', names.channelId])) taken.push(`channel ${names.channelId}`);
  if (doc.hasIn(['components', 'messages', names.messageId])) taken.push(`message ${names.messageId}`);
  if (options.send && doc.hasIn(['operations', names.sendOperationId]))
    taken.push(`operation ${names.sendOperationId}`);
  if (options.receive && doc.hasIn(['operations', names.receiveOperationId]))
    taken.push(`operation ${names.receiveOperationId}`);
  if (taken.length > 0)
    throw new ScaffoldError(`${options.file} already defines ${taken.join(', ')}: ${names.type} exists`, {
      kind: 'bad-input',
      file: options.file,
    });
}

/** Adds channel, send and/or receive operation and component message of `names` to `doc`. */
export function addEventToDocument(doc: Document, names: EventNames, options: AddToDocumentOptions): void {
  assertFree(doc, names, options);
  const title = sentence(names.name);
  const channelRef = { $ref: `#/channels/${names.channelId}` };
  const messageRef = { $ref: `#/channels/${names.channelId}/messages/${names.name}` };
  section(doc, 'channels', options.file).set(
    names.channelId,
    doc.createNode({
      address: names.address,
      title,
      description: `${title}. Stored in stream ${options.stream}, keyed by ${names.keyJson}.`,
      parameters: {
        [names.keyJson]: {
          description: `Partition key: the ${names.keyJson} of the payload.`,
          location: `$message.payload#/${names.keyJson}`,
        },
      },
      messages: { [names.name]: { $ref: `#/components/messages/${names.messageId}` } },
    }),
  );
  const operations = section(doc, 'operations', options.file);
  if (options.send)
    operations.set(
      names.sendOperationId,
      doc.createNode({
        action: 'send',
        summary: `Publish ${names.name}.`,
        channel: channelRef,
        messages: [messageRef],
      }),
    );
  if (options.receive)
    operations.set(
      names.receiveOperationId,
      doc.createNode({
        action: 'receive',
        summary: `React to ${names.name}.`,
        channel: channelRef,
        messages: [messageRef],
      }),
    );
  const components = section(doc, 'components', options.file);
  if (!components.has('messages')) components.set('messages', doc.createNode({}));
  const messages = components.get('messages', true);
  if (isMap(messages) && messages.items.length === 0) messages.flow = false;
  if (!isMap(messages))
    throw new ScaffoldError(`${options.file}: "components.messages" is not a mapping`, {
      kind: 'bad-input',
      file: options.file,
    });
  const id = exampleId(names.type);
  messages.set(
    names.messageId,
    doc.createNode({
      name: names.name,
      title,
      summary: `${title}.`,
      contentType: 'application/protobuf',
      correlationId: {
        description: 'Messages of one business flow share the correlation id.',
        location: '$message.header#/ce-correlationid',
      },
      headers: cloudEventHeaders(names.type),
      payload: { schemaFormat: 'application/vnd.google.protobuf;version=3', schema: names.type },
      examples: [
        {
          name: 'default',
          summary: `${title}: an example.`,
          headers: {
            'ce-specversion': '1.0',
            'ce-id': id,
            'ce-source': options.service,
            'ce-type': names.type,
            'ce-time': '2026-01-01T09:00:00Z',
            'ce-subject': options.example.key,
            'content-type': 'application/protobuf',
            'ce-correlationid': id,
          },
          payload: options.example.payload,
        },
      ],
    }),
  );
}
