// The tiny broker interface every transport implements (JetStream, in-memory). Behaviour that is the
// same for every broker (envelope, retries, middleware, dead-lettering) lives above it, in the
// publisher and the router; one conformance suite (test/conformance) holds every transport to it.
import type { ConsumerOptions, OutboundMessage, PublishReceipt } from './api.ts';

export type DeliverPolicy = ConsumerOptions['deliverPolicy'];

/** What a transport supports; the conformance suite skips the cases a transport cannot do. */
export interface TransportFeatures {
  /** Messages and consumer positions survive a broker restart. */
  readonly persistent: boolean;
  /** Honours `nak(delayMs)` and the consumer's backoff schedule. */
  readonly delayedRedelivery: boolean;
  /** Drops publishes whose `Nats-Msg-Id` was seen inside the stream's duplicate window. */
  readonly deduplication: boolean;
  /** Several subscriptions on one durable share its messages (competing consumers). */
  readonly competingConsumers: boolean;
  /** The broker can be killed and restarted under a live client (conformance: "broker restart"). */
  readonly brokerRestart: boolean;
}

export interface StreamSpec {
  readonly name: string;
  readonly subjects: readonly string[];
  readonly retention: 'limits' | 'interest' | 'workqueue';
  readonly storage: 'file' | 'memory';
  /** 0 = unlimited. */
  readonly maxAgeMs: number;
  /** -1 = unlimited. */
  readonly maxBytes: number;
  /** -1 = unlimited. */
  readonly maxMsgs: number;
  readonly duplicateWindowMs: number;
  readonly replicas: number;
  readonly description?: string;
  /** JetStream `deny_delete` / `deny_purge` (can be set on an existing stream, never unset). Unset: false. */
  readonly denyDelete?: boolean;
  readonly denyPurge?: boolean;
}

/** A pull consumer on one stream and one filter subject (nats-server 2.9: one filter per consumer). */
export interface ConsumeSpec {
  readonly stream: string;
  /** Durable name; absent: an ephemeral consumer that goes away with the subscription. */
  readonly durable?: string;
  readonly filterSubject: string;
  readonly ackWaitMs: number;
  readonly maxDeliver: number;
  /** Redelivery delays after an ack timeout; `length < maxDeliver`. */
  readonly backoffMs: readonly number[];
  readonly maxAckPending: number;
  readonly deliverPolicy: DeliverPolicy;
  /** Messages the client buffers per pull; default min(maxAckPending, 256). */
  readonly prefetch?: number;
}

/** One delivery of one stored message. Settle it exactly once with ack, nak or term. */
export interface Delivery {
  readonly subject: string;
  readonly data: Uint8Array;
  /** Every header of the stored message (CloudEvents, `Nats-Msg-Id`, ...). */
  readonly headers: Readonly<Record<string, string>>;
  /** 1 on the first delivery. */
  readonly deliveryCount: number;
  readonly stream: string;
  readonly streamSequence: number;
  readonly consumer: string;
  /** When the message was stored. */
  readonly storedAt: Date;
  ack(): void;
  /** Redeliver, after `delayMs` when given (else at once). */
  nak(delayMs?: number): void;
  /** Never redeliver. */
  term(reason?: string): void;
  /** Still working on it: restart the ack-wait timer. */
  working(): void;
}

/** Receives each delivery; must not throw (the router owns the settle policy). */
export type DeliveryListener = (delivery: Delivery) => void;

export interface Subscription {
  /** Durable or generated consumer name. */
  readonly consumer: string;
  /**
   * Stop receiving: after this resolves the listener is not called again. Deliveries that were
   * buffered but not handed over are nak'ed so another instance gets them at once. Unsettled
   * deliveries already handed over stay pending until settled (or until their ack wait ends).
   */
  stop(): Promise<void>;
}

export interface ConsumerState {
  readonly name: string;
  readonly stream: string;
  /** Delivered and not yet acknowledged (including messages waiting for redelivery). */
  readonly ackPending: number;
  /** Stored and never delivered yet. */
  readonly pending: number;
}

/** A core (never stored) request or reply. */
export interface CoreMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
}

export type RequestListener = (
  request: CoreMessage,
) => Promise<{ readonly data: Uint8Array; readonly headers: Readonly<Record<string, string>> }>;

export interface Transport {
  /** `jetstream` or `memory`. */
  readonly kind: string;
  readonly features: TransportFeatures;
  /** Store a message; resolves on the broker's acknowledgement. `Nats-Msg-Id` = `msg.id`. */
  publish(msg: OutboundMessage, options?: { readonly timeoutMs?: number }): Promise<PublishReceipt>;
  /** Create the stream, or (unless `update: false`) update an existing one to match the spec. */
  ensureStream(spec: StreamSpec, options?: { readonly update?: boolean }): Promise<void>;
  /** Start (creating or updating the durable consumer as needed) and hand each delivery to the listener. */
  consume(spec: ConsumeSpec, listener: DeliveryListener): Promise<Subscription>;
  /** Answer core requests on `subject`; instances in the same `queue` share the load. */
  serve(subject: string, queue: string, listener: RequestListener): Promise<Subscription>;
  /** Core request/reply (never stored). Throws TransportError 'no-responders' / 'timeout'. */
  request(msg: CoreMessage, options: { readonly timeoutMs: number }): Promise<CoreMessage>;
  /** Position of a consumer, or undefined when it does not exist. */
  consumerState(stream: string, consumer: string): Promise<ConsumerState | undefined>;
  /** Flush pending acks and close the connection. */
  close(): Promise<void>;
}

/** Default settings for a stream (one place, so memory and JetStream behave the same). */
export function streamSpec(
  name: string,
  subjects: readonly string[],
  overrides: Partial<StreamSpec> = {},
): StreamSpec {
  return {
    name,
    subjects,
    retention: 'limits',
    storage: 'file',
    maxAgeMs: 0,
    maxBytes: -1,
    maxMsgs: -1,
    duplicateWindowMs: 120_000,
    replicas: 1,
    ...overrides,
  };
}

/** The ack wait that applies to a delivery: with a backoff schedule the server uses it instead of ackWait. */
export function effectiveAckWaitMs(
  spec: Pick<ConsumeSpec, 'ackWaitMs' | 'backoffMs'>,
  deliveryCount: number,
): number {
  if (spec.backoffMs.length === 0) return spec.ackWaitMs;
  const index = Math.min(Math.max(deliveryCount - 1, 0), spec.backoffMs.length - 1);
  return spec.backoffMs[index] ?? spec.ackWaitMs;
}
