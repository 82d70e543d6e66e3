// The checks of one message against the registry. Everything that can be derived from the registry is
// derived once in createMessageChecker; check() runs per message and stays allocation-light.
import type { ValidateFunction } from 'ajv';
import { producersOf } from '../model/query.ts';
import { createSchemaValidator } from '../model/rules/example-rules.ts';
import type { EventModel, Registry } from '../model/types.ts';
import { isRetirable, newerMajorOf } from '../model/versions.ts';
import type { Codec } from '../runtime/api.ts';
import { CE, MSG_ID_HEADER } from '../runtime/envelope.ts';
import { codecOfEvent } from './codec.ts';
import type { ObservedMessage, Violation, ViolationKind } from './violations.ts';

/** The CloudEvents attributes every message must carry (binary mode) when its document declares no header schema. */
const REQUIRED_HEADERS = [CE.specversion, CE.id, CE.source, CE.type, CE.time, CE.contentType] as const;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** What the checker knows about one event type, computed once. */
interface EventFacts {
  readonly event: EventModel;
  readonly codec: Codec<unknown>;
  /** Literal tokens of the channel address, `undefined` where a `{parameter}` stands. */
  readonly tokens: readonly (string | undefined)[];
  /** Token index of the partition key parameter in the subject. */
  readonly keyIndex: number;
  /** Payload path of the partition key field. */
  readonly keyPath?: readonly string[];
  readonly senders: ReadonlySet<string>;
  readonly headerSchema?: ValidateFunction;
  readonly retiredBy?: string;
}

export interface CheckResult {
  /** The registry's event type, when `ce-type` names one. */
  readonly type?: string;
  readonly violations: readonly Violation[];
}

export interface MessageChecker {
  check(msg: ObservedMessage): CheckResult;
  /** Event types the checker knows, with their subject filters (what the monitor listens to). */
  readonly events: readonly EventModel[];
}

function fieldAt(payload: unknown, path: readonly string[]): unknown {
  let current = payload;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function factsOf(
  registry: Registry,
  event: EventModel,
  validatorFor: ReturnType<typeof createSchemaValidator>,
): EventFacts {
  const tokens = event.subjectPattern.split('.').map((t) => (/^\{[^}]+\}$/.test(t) ? undefined : t));
  const key = event.partitionKey;
  const keyIndex = key ? event.subjectPattern.split('.').indexOf(`{${key.parameter}}`) : -1;
  const compiled = event.headers ? validatorFor(event.headers) : undefined;
  const newer = isRetirable(registry, event) ? newerMajorOf(registry, event) : undefined;
  return {
    event,
    codec: codecOfEvent(event),
    tokens,
    keyIndex,
    ...(key ? { keyPath: (key.field ?? key.parameter).split('.') } : {}),
    senders: new Set(producersOf(registry, event.type).map((o) => o.service)),
    ...(typeof compiled === 'function' ? { headerSchema: compiled } : {}),
    ...(newer ? { retiredBy: newer.type } : {}),
  };
}

export function createMessageChecker(registry: Registry): MessageChecker {
  const validatorFor = createSchemaValidator();
  const byType = new Map<string, EventFacts>();
  for (const event of registry.events) byType.set(event.type, factsOf(registry, event, validatorFor));

  return {
    events: registry.events,
    check(msg) {
      const h = msg.headers;
      const violations: Violation[] = [];
      const type = h[CE.type];
      const add = (kind: ViolationKind, reason: string) => {
        violations.push({
          kind,
          reason,
          subject: msg.subject,
          ...(type !== undefined ? { type } : {}),
          ...(h[CE.id] !== undefined ? { id: h[CE.id] } : {}),
          ...(h[CE.source] !== undefined ? { source: h[CE.source] } : {}),
          ...(msg.stream !== undefined ? { stream: msg.stream } : {}),
          ...(msg.streamSequence !== undefined ? { streamSequence: msg.streamSequence } : {}),
          at: new Date().toISOString(),
        });
      };
      const facts = type === undefined ? undefined : byType.get(type);
      if (type === undefined)
        add('missing-header', `no ${CE.type} header: the message cannot be matched to an event`);
      else if (!facts) add('unknown-type', `${CE.type} ${type} is not declared in any AsyncAPI document`);
      checkHeaders(msg, facts, add);
      if (!facts) return { violations };
      const { event } = facts;

      // Subject against the channel address.
      const parts = msg.subject.split('.');
      let subjectFits = parts.length === facts.tokens.length;
      for (let i = 0; subjectFits && i < parts.length; i++) {
        const literal = facts.tokens[i];
        subjectFits = literal === undefined ? (parts[i] ?? '') !== '' : parts[i] === literal;
      }
      if (!subjectFits)
        add(
          'subject-mismatch',
          `subject does not match ${event.type}'s channel address ${event.subjectPattern}`,
        );

      // Payload.
      let payload: unknown;
      let decoded = false;
      try {
        payload = facts.codec.decode(msg.data);
        decoded = true;
      } catch (error) {
        const name = (error as Error).name;
        add(
          name === 'SchemaError' ? 'invalid-payload' : 'undecodable',
          `payload is not a valid ${event.type}: ${(error as Error).message}`,
        );
      }
      if (decoded) {
        const problems = facts.codec.validate(payload);
        if (problems.length > 0)
          add('invalid-payload', `payload does not validate as ${event.type}: ${problems.join('; ')}`);
      }

      // Partition key: the subject's key token is the payload field it is taken from (and ce-subject, when sent).
      if (subjectFits && facts.keyIndex >= 0) {
        const key = parts[facts.keyIndex] ?? '';
        if (decoded && facts.keyPath) {
          const field = fieldAt(payload, facts.keyPath);
          if (String(field ?? '') !== key)
            add(
              'partition-key-mismatch',
              `subject key ${key} differs from payload field ${facts.keyPath.join('.')} = ${JSON.stringify(field ?? null)}`,
            );
        }
        const ceSubject = h[CE.subject];
        if (ceSubject !== undefined && ceSubject !== key && ceSubject !== msg.subject)
          add(
            'partition-key-mismatch',
            `${CE.subject} ${ceSubject} is neither the partition key ${key} nor the subject`,
          );
      }

      // Sender and version.
      const source = h[CE.source];
      if (source && facts.senders.size > 0 && !facts.senders.has(source))
        add(
          'wrong-source',
          `${CE.source} ${source} is not a declared sender of ${event.type} (${[...facts.senders].join(', ')})`,
        );
      if (facts.retiredBy)
        add(
          'retired-version',
          `${event.type} is retired: ${facts.retiredBy} replaces it and no service consumes it any more`,
        );
      return { type: event.type, violations };
    },
  };
}

/** Required CloudEvents headers present and well formed; the document's header schema when it declares one. */
function checkHeaders(
  msg: ObservedMessage,
  facts: EventFacts | undefined,
  add: (kind: ViolationKind, reason: string) => void,
): void {
  const h = msg.headers;
  for (const name of REQUIRED_HEADERS)
    if (h[name] === undefined || h[name] === '') {
      if (name !== CE.type) add('missing-header', `required header ${name} is missing`);
    }
  const spec = h[CE.specversion];
  if (spec !== undefined && spec !== '' && spec !== '1.0')
    add('malformed-header', `${CE.specversion} is ${spec}, expected 1.0`);
  const time = h[CE.time];
  if (time && !RFC3339.test(time)) add('malformed-header', `${CE.time} ${time} is not an RFC 3339 timestamp`);
  const trace = h[CE.traceparent];
  if (trace !== undefined && !TRACEPARENT.test(trace))
    add('malformed-header', `${CE.traceparent} ${trace} is not a W3C traceparent`);
  const msgId = h[MSG_ID_HEADER];
  if (msgId !== undefined && h[CE.id] && msgId !== h[CE.id])
    add(
      'malformed-header',
      `${MSG_ID_HEADER} ${msgId} differs from ${CE.id} ${h[CE.id]} (JetStream de-duplicates on it)`,
    );
  if (!facts) return;
  const contentType = h[CE.contentType];
  if (contentType && contentType !== facts.event.contentType)
    add(
      'malformed-header',
      `${CE.contentType} ${contentType}, but ${facts.event.type} is ${facts.event.contentType}`,
    );
  const schema = facts.headerSchema;
  if (schema && !schema(h)) {
    for (const e of schema.errors ?? []) {
      // Presence of the CloudEvents attributes and the ones checked above are already reported.
      if (e.keyword === 'required') {
        const missing = String((e.params as { missingProperty?: unknown }).missingProperty ?? '');
        if (!(REQUIRED_HEADERS as readonly string[]).includes(missing))
          add('missing-header', `header ${missing} is missing (required by the document)`);
        continue;
      }
      const name = e.instancePath.replace(/^\//, '').replace(/~1/g, '/').replace(/~0/g, '~');
      if (name === CE.time || name === CE.traceparent || name === CE.specversion || name === CE.contentType)
        continue;
      add(
        'malformed-header',
        `header ${name || '(all)'} ${e.message ?? 'is invalid'} (declared in the document)`,
      );
    }
  }
}
