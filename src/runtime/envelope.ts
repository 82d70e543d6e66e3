// CloudEvents 1.0 over NATS, binary mode: the payload is the message body, the attributes are headers.
// createEnvelope builds what leaves (validated, encoded, subject filled in); readEnvelope turns a
// delivery back into the event a handler sees.
import type { ConsumedEvent, EventDescriptor, OutboundMessage, PublishOptions } from './api.ts';
import { currentEventScope } from './context.ts';
import { SchemaError } from './errors.ts';
import { newEventId, randomHex } from './ids.ts';
import { tokenProblems } from './subjects.ts';
import { activeTraceparent, noteDestinationTemplate } from './telemetry.ts';

export const CE = {
  specversion: 'ce-specversion',
  id: 'ce-id',
  source: 'ce-source',
  type: 'ce-type',
  time: 'ce-time',
  subject: 'ce-subject',
  contentType: 'content-type',
  correlationId: 'ce-correlationid',
  causationId: 'ce-causationid',
  traceparent: 'traceparent',
} as const;

/** JetStream's de-duplication header; always equal to `ce-id`. */
export const MSG_ID_HEADER = 'Nats-Msg-Id';

const PARAM = /\{([^}]+)\}/g;

/** Names of the `{parameters}` of a subject pattern, in order. */
export function subjectParameters(pattern: string): string[] {
  return [...pattern.matchAll(PARAM)].map((m) => m[1] ?? '');
}

function fieldValue(payload: unknown, path: string): unknown {
  let current: unknown = payload;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * The subject of one event: each `{param}` from `params`, else from the payload field the partition
 * key names (or the field of the same name). Throws SchemaError when a value is missing or not a token.
 */
export function buildSubject<T>(
  descriptor: Pick<EventDescriptor<T>, 'type' | 'subjectPattern' | 'partitionKey'>,
  payload: T,
  params: Readonly<Record<string, string | undefined>> = {},
): string {
  const problems: string[] = [];
  const subject = descriptor.subjectPattern.replace(PARAM, (_, name: string) => {
    let value: unknown = params[name];
    if (value === undefined) {
      const field =
        descriptor.partitionKey?.parameter === name ? (descriptor.partitionKey.field ?? name) : name;
      value = fieldValue(payload, field);
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') {
      problems.push(`subject parameter ${name} has no value (pass it in params or set the payload field)`);
      return '';
    }
    const text = String(value);
    problems.push(...tokenProblems(name, text));
    return text;
  });
  if (problems.length > 0) throw new SchemaError(descriptor.type, problems);
  return subject;
}

/** Parameter positions of a pattern, parsed once per pattern (this runs for every message). */
const patternCache = new Map<string, { tokens: number; params: readonly (readonly [number, string])[] }>();

function parsedPattern(pattern: string) {
  let parsed = patternCache.get(pattern);
  if (!parsed) {
    const tokens = pattern.split('.');
    const params: [number, string][] = [];
    tokens.forEach((token, i) => {
      const match = /^\{([^}]+)\}$/.exec(token);
      if (match?.[1]) params.push([i, match[1]]);
    });
    parsed = { tokens: tokens.length, params };
    if (patternCache.size < 10_000) patternCache.set(pattern, parsed);
  }
  return parsed;
}

/** Parameter values of a concrete subject, e.g. `{ orderId: 'ord_42' }`; empty when it does not match. */
export function parseSubjectParams(pattern: string, subject: string): Record<string, string> {
  const { tokens, params } = parsedPattern(pattern);
  const out: Record<string, string> = {};
  if (params.length === 0) return out;
  const s = subject.split('.');
  if (s.length !== tokens) return out;
  for (const [index, name] of params) out[name] = s[index] ?? '';
  return out;
}

/** A W3C traceparent continuing `parent`'s trace with a new span (or starting a trace). */
export function childTraceparent(parent?: string): string {
  const match = parent ? /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(parent) : null;
  if (match) return `00-${match[2]}-${randomHex(8)}-${match[4]}`;
  return `00-${randomHex(16)}-${randomHex(8)}-01`;
}

export interface EnvelopeOptions extends PublishOptions {}

/**
 * Validate, encode and address one event. Correlation and causation default to the event being
 * handled (see context.ts); `ce-source` defaults to the descriptor's context.
 */
export function createEnvelope<T>(
  descriptor: EventDescriptor<T>,
  payload: T,
  options: EnvelopeOptions = {},
): OutboundMessage {
  const problems = descriptor.codec.validate(payload);
  if (problems.length > 0) throw new SchemaError(descriptor.type, problems);
  const subject = buildSubject(descriptor, payload, options.params);
  const data = descriptor.codec.encode(payload);
  const scope = currentEventScope();
  const id = options.id ?? newEventId();
  const headers: Record<string, string> = {
    ...options.headers,
    [CE.specversion]: '1.0',
    [CE.id]: id,
    [CE.source]: options.source || descriptor.context,
    [CE.type]: descriptor.type,
    [CE.time]: (options.time ?? new Date()).toISOString(),
    [CE.contentType]: descriptor.codec.contentType,
    [CE.correlationId]: options.correlationId ?? scope?.correlationId ?? id,
    // The most specific recording span: the caller's own active one, else the consumer span of the event
    // being handled (kept in the event scope, so no context manager is needed), else a new span id.
    [CE.traceparent]:
      options.traceparent ??
      activeTraceparent() ??
      (scope?.spanRecorded ? scope.traceparent : undefined) ??
      childTraceparent(scope?.traceparent),
  };
  noteDestinationTemplate(descriptor.type, descriptor.subjectPattern);
  const causationId = options.causationId ?? scope?.eventId;
  if (causationId) headers[CE.causationId] = causationId;
  const key = descriptor.partitionKey
    ? parseSubjectParams(descriptor.subjectPattern, subject)[descriptor.partitionKey.parameter]
    : undefined;
  if (key) headers[CE.subject] = key;
  return { subject, headers, data, id, type: descriptor.type };
}

/** The parts of a delivery readEnvelope needs (transport deliveries and captured messages both fit). */
export interface InboundMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
  readonly deliveryCount?: number;
  readonly streamSequence?: number;
}

/**
 * Decode one delivered message into the event a handler sees. Throws DecodeError on bad bytes and
 * SchemaError when the message is of another type than the descriptor (both permanent).
 */
export function readEnvelope<T>(descriptor: EventDescriptor<T>, msg: InboundMessage): ConsumedEvent<T> {
  const h = msg.headers;
  const type = h[CE.type];
  if (type !== undefined && type !== descriptor.type)
    throw new SchemaError(descriptor.type, [
      `message on ${msg.subject} has ce-type ${type}, expected ${descriptor.type}`,
    ]);
  const payload = descriptor.codec.decode(msg.data);
  const id = h[CE.id] ?? h[MSG_ID_HEADER] ?? `${msg.subject}:${msg.streamSequence ?? 0}`;
  const timeText = h[CE.time];
  const time = timeText ? new Date(timeText) : new Date(0);
  // Built field by field: this runs for every consumed message.
  const event: { -readonly [K in keyof ConsumedEvent<T>]: ConsumedEvent<T>[K] } = {
    payload,
    id,
    type: descriptor.type,
    subject: msg.subject,
    source: h[CE.source] ?? '',
    time: Number.isNaN(time.getTime()) ? new Date(0) : time,
    correlationId: h[CE.correlationId] ?? id,
    headers: h,
    params: parseSubjectParams(descriptor.subjectPattern, msg.subject),
    deliveryCount: msg.deliveryCount ?? 1,
  };
  const causationId = h[CE.causationId];
  if (causationId) event.causationId = causationId;
  const traceparent = h[CE.traceparent];
  if (traceparent) event.traceparent = traceparent;
  if (msg.streamSequence !== undefined) event.streamSequence = msg.streamSequence;
  return event;
}
