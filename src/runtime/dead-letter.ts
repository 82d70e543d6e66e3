// The dead-letter stream keeps every message the runtime gave up on: original bytes and headers,
// plus why (error text), how often it was tried and where it came from, as `eventkit-dlq-*` headers.
import type { OutboundMessage } from './api.ts';
import { CE, MSG_ID_HEADER } from './envelope.ts';
import type { Delivery } from './transport.ts';
import { type StreamSpec, streamSpec } from './transport.ts';

export const DEADLETTER_STREAM = 'DEADLETTER';
export const DEADLETTER_PREFIX = 'deadletter';

export const DLQ_HEADERS = {
  error: 'eventkit-dlq-error',
  /** `permanent` (PermanentError, decode or schema failure) or `max-deliver` (last delivery failed). */
  reason: 'eventkit-dlq-reason',
  deliveryCount: 'eventkit-dlq-delivery-count',
  subject: 'eventkit-dlq-subject',
  stream: 'eventkit-dlq-stream',
  sequence: 'eventkit-dlq-sequence',
  consumer: 'eventkit-dlq-consumer',
  service: 'eventkit-dlq-service',
  time: 'eventkit-dlq-time',
} as const;

export type DeadLetterReason = 'permanent' | 'max-deliver';

/** Stream settings for `DEADLETTER` (subjects `deadletter.>`, kept 30 days by default). */
export function deadLetterStreamSpec(overrides: Partial<StreamSpec> = {}): StreamSpec {
  return streamSpec(DEADLETTER_STREAM, [`${DEADLETTER_PREFIX}.>`], {
    maxAgeMs: 30 * 24 * 3_600_000,
    description: 'Messages eventkit consumers gave up on (see eventkit-dlq-* headers)',
    // Dead letters are evidence too; they age out after maxAge instead.
    denyDelete: true,
    denyPurge: true,
    ...overrides,
  });
}

/** Subjects one service dead-letters to: `deadletter.<service>.>` (what its permissions allow). */
export function deadLetterSubjectFilter(service: string): string {
  return `${DEADLETTER_PREFIX}.${service}.>`;
}

/** NATS header values are one line; keep error texts short and single-line. */
function headerValue(text: string, max = 1024): string {
  const line = text.replace(/[\r\n]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export interface DeadLetterInput {
  readonly service: string;
  readonly error: string;
  readonly reason: DeadLetterReason;
  /** Attempts made (can exceed the broker's count when retried in process). */
  readonly deliveryCount?: number;
}

/** The dead-letter copy of a delivery: subject `deadletter.<service>.<original subject>`. */
export function deadLetterMessage(delivery: Delivery, input: DeadLetterInput): OutboundMessage {
  const { [MSG_ID_HEADER]: _msgId, ...original } = delivery.headers;
  const headers: Record<string, string> = {
    ...original,
    [DLQ_HEADERS.error]: headerValue(input.error),
    [DLQ_HEADERS.reason]: input.reason,
    [DLQ_HEADERS.deliveryCount]: String(input.deliveryCount ?? delivery.deliveryCount),
    [DLQ_HEADERS.subject]: delivery.subject,
    [DLQ_HEADERS.stream]: delivery.stream,
    [DLQ_HEADERS.sequence]: String(delivery.streamSequence),
    [DLQ_HEADERS.consumer]: delivery.consumer,
    [DLQ_HEADERS.service]: input.service,
    [DLQ_HEADERS.time]: new Date().toISOString(),
  };
  return {
    subject: `${DEADLETTER_PREFIX}.${input.service}.${delivery.subject}`, // within deadLetterSubjectFilter(service)
    headers,
    data: delivery.data,
    // One dead letter per stored message and consumer, even if dead-lettering is retried.
    id: `dlq:${delivery.stream}:${delivery.streamSequence}:${delivery.consumer}`,
    type: delivery.headers[CE.type] ?? 'unknown',
  };
}

export interface DeadLetterInfo {
  readonly error: string;
  readonly reason: DeadLetterReason;
  readonly deliveryCount: number;
  readonly subject: string;
  readonly stream: string;
  readonly sequence: number;
  readonly consumer: string;
  readonly service: string;
  readonly time: string;
}

/** Read the `eventkit-dlq-*` headers of a dead letter; undefined for other messages. */
export function readDeadLetter(headers: Readonly<Record<string, string>>): DeadLetterInfo | undefined {
  const reason = headers[DLQ_HEADERS.reason];
  if (reason !== 'permanent' && reason !== 'max-deliver') return undefined;
  return {
    error: headers[DLQ_HEADERS.error] ?? '',
    reason,
    deliveryCount: Number(headers[DLQ_HEADERS.deliveryCount] ?? 0),
    subject: headers[DLQ_HEADERS.subject] ?? '',
    stream: headers[DLQ_HEADERS.stream] ?? '',
    sequence: Number(headers[DLQ_HEADERS.sequence] ?? 0),
    consumer: headers[DLQ_HEADERS.consumer] ?? '',
    service: headers[DLQ_HEADERS.service] ?? '',
    time: headers[DLQ_HEADERS.time] ?? '',
  };
}
