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

/** Names of the `{parameters}` of a subject pattern, in order. */
export function subjectParameters(pattern: string): string[] {
  return [...pattern.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
}

function fieldValue(payload: unknown, path: readonly string[]): unknown {
  let current: unknown = payload;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A subject pattern taken apart once: literal text around each parameter and where its value comes from. */
interface SubjectPlan {
  /** Literal text: one more entry than `params`. */
  readonly literals: readonly string[];
  readonly params: readonly { readonly name: string; readonly field: readonly string[] }[];
  /** Index in `params` of the partition key (its value is `ce-subject`), or -1. */
  readonly key: number;
}

type PlanInput = Pick<EventDescriptor<unknown>, 'subjectPattern' | 'partitionKey'>;
const plans = new WeakMap<PlanInput, SubjectPlan>();

function subjectPlan(descriptor: PlanInput): SubjectPlan {
  let plan = plans.get(descriptor);
  if (plan) return plan;
  const parts = descriptor.subjectPattern.split(/\{([^}]+)\}/);
  const literals: string[] = [];
  const params: { name: string; field: string[] }[] = [];
  parts.forEach((part, i) => {
    if (i % 2 === 0) literals.push(part);
    else {
      const key = descriptor.partitionKey;
      const field = key?.parameter === part ? (key.field ?? part) : part;
      params.push({ name: part, field: field.split('.') });
    }
  });
  const key = descriptor.partitionKey;
  plan = { literals, params, key: key ? params.findIndex((p) => p.name === key.parameter) : -1 };
  plans.set(descriptor, plan);
  return plan;
}

const VALID_TOKEN = /^[^\s.*>]+$/;

/** The subject and the partition key's value; throws SchemaError naming every bad parameter. */
function addressOf<T>(
  descriptor: Pick<EventDescriptor<T>, 'type' | 'subjectPattern' | 'partitionKey'>,
  payload: T,
  params: Readonly<Record<string, string | undefined>> | undefined,
): { subject: string; key: string | undefined } {
  const plan = subjectPlan(descriptor as PlanInput);
  let subject = plan.literals[0] ?? '';
  let key: string | undefined;
  const problems: string[] = [];
  for (let i = 0; i < plan.params.length; i++) {
    const param = plan.params[i] as SubjectPlan['params'][number];
    let value: unknown = params?.[param.name];
    if (value === undefined) value = fieldValue(payload, param.field);
    let text = '';
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') {
      problems.push(
        `subject parameter ${param.name} has no value (pass it in params or set the payload field)`,
      );
    } else {
      text = typeof value === 'string' ? value : String(value);
      if (!VALID_TOKEN.test(text)) problems.push(...tokenProblems(param.name, text));
    }
    if (i === plan.key) key = text;
    subject += text + (plan.literals[i + 1] ?? '');
  }
  if (problems.length > 0) throw new SchemaError(descriptor.type, problems);
  return { subject, key };
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
  return addressOf(descriptor, payload, params).subject;
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
  // Walks the dots instead of splitting: only the parameter tokens are sliced (this runs for every message).
  let next = 0;
  let start = 0;
  let token = 0;
  for (; token < tokens; token++) {
    const dot = subject.indexOf('.', start);
    const end = dot < 0 ? subject.length : dot;
    const param = params[next];
    if (param && param[0] === token) {
      out[param[1]] = subject.slice(start, end);
      next++;
    }
    if (dot < 0) break;
    start = dot + 1;
  }
  // More or fewer tokens than the pattern: not this pattern's subject.
  if (token !== tokens - 1 || subject.indexOf('.', start) >= 0) return {};
  return out;
}

/** A W3C traceparent continuing `parent`'s trace with a new span (or starting a trace). */
export function childTraceparent(parent?: string): string {
  const match = parent ? /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(parent) : null;
  if (match) return `00-${match[2]}-${randomHex(8)}-${match[4]}`;
  return `00-${randomHex(16)}-${randomHex(8)}-01`;
}

export interface EnvelopeOptions extends PublishOptions {}

/** `ce-time` of the current millisecond, formatted once per millisecond (publishing runs thousands a second). */
let lastTimeMs = -1;
let lastTimeText = '';
function timeText(ms: number): string {
  if (ms !== lastTimeMs) {
    lastTimeMs = ms;
    lastTimeText = new Date(ms).toISOString();
  }
  return lastTimeText;
}

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
  const { subject, key } = addressOf(descriptor, payload, options.params);
  const data = descriptor.codec.encode(payload);
  const scope = currentEventScope();
  const now = Date.now();
  const id = options.id ?? newEventId(now);
  // One object literal in a fixed order (one hidden class); user headers first, ours win.
  const headers: Record<string, string> = {
    ...options.headers,
    [CE.specversion]: '1.0',
    [CE.id]: id,
    [CE.source]: options.source || descriptor.context,
    [CE.type]: descriptor.type,
    [CE.time]: options.time ? options.time.toISOString() : timeText(now),
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
