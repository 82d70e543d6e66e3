// The runtime's public contract. Generated code (src/codegen output) and the reference system build
// against these names; the implementation lives in the other modules of src/runtime.

/** Byte-level codec of one payload type, plus the proto3 canonical JSON view used by contracts and the catalog. */
export interface Codec<T> {
  readonly contentType: 'application/protobuf' | 'application/json';
  encode(value: T): Uint8Array;
  /** Throws a DecodeError (permanent) on bytes that are not a valid payload. */
  decode(bytes: Uint8Array): T;
  /** The canonical JSON view (proto3 JSON mapping for protobuf payloads). */
  toJson(value: T): unknown;
  /** Inverse of toJson; throws a SchemaError on JSON that does not fit. */
  fromJson(json: unknown): T;
  /** Problems with a value before it is sent (missing required, wrong type); empty when valid. */
  validate(value: unknown): readonly string[];
}

/** Everything the runtime needs to know about one event type; generated code holds one per event. */
export interface EventDescriptor<T> {
  /** `orders.v1.OrderPlaced`. */
  readonly type: string;
  readonly kind: 'event' | 'command' | 'query';
  readonly context: string;
  readonly name: string;
  readonly major: number;
  /** `orders.order-placed.v1.{orderId}`. */
  readonly subjectPattern: string;
  /** `orders.order-placed.v1.>`. */
  readonly subjectFilter: string;
  /** `ORDERS`; absent for commands/queries. */
  readonly stream?: string;
  /**
   * The service that declares sending it (`ce-source` of every genuine copy). Routers dead-letter a
   * consumed event whose `ce-source` names anyone else. Absent: not checked.
   */
  readonly producer?: string;
  readonly partitionKey?: { readonly parameter: string; readonly field?: string };
  readonly codec: Codec<T>;
}

/** Settings of a durable consumer (from the AsyncAPI receive operation's `x-eventkit-consumer`). */
export interface ConsumerOptions {
  readonly durable: string;
  readonly ackWaitMs: number;
  readonly maxDeliver: number;
  readonly backoffMs: readonly number[];
  readonly maxAckPending: number;
  readonly ordered: boolean;
  readonly deliverPolicy: 'all' | 'new' | { readonly startSequence: number } | { readonly startTime: string };
}

/** A message ready to leave: what the outbox stores and the relay publishes. */
export interface OutboundMessage {
  readonly subject: string;
  /** CloudEvents headers + content-type + traceparent; `Nats-Msg-Id` is set from `ce-id` by the transport. */
  readonly headers: Readonly<Record<string, string>>;
  readonly data: Uint8Array;
  /** = `ce-id`. */
  readonly id: string;
  readonly type: string;
}

export interface PublishOptions {
  /** Values of the subject's parameters, e.g. `{ orderId: 'ord_42' }`; taken from the payload field when omitted. */
  readonly params?: Readonly<Record<string, string>>;
  /** Event id (`ce-id`); a fresh id when omitted. Retries of the same logical event must reuse it. */
  readonly id?: string;
  readonly time?: Date;
  /** Default: the consumed event's correlation id (from the handler context), else the new event's id. */
  readonly correlationId?: string;
  /** Default: the consumed event's id (from the handler context). */
  readonly causationId?: string;
  readonly traceparent?: string;
  /** `ce-source`; default the publisher's service. */
  readonly source?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface PublishReceipt {
  readonly id: string;
  readonly subject: string;
  readonly stream?: string;
  readonly seq?: number;
  /** JetStream dropped it as a duplicate `Nats-Msg-Id`. */
  readonly duplicate: boolean;
}

/** A consumed, decoded event as a handler sees it. */
export interface ConsumedEvent<T> {
  readonly payload: T;
  readonly id: string;
  readonly type: string;
  readonly subject: string;
  readonly source: string;
  readonly time: Date;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly traceparent?: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Subject parameters parsed from the subject, e.g. `{ orderId: 'ord_42' }`. */
  readonly params: Readonly<Record<string, string>>;
  /** 1 on first delivery. */
  readonly deliveryCount: number;
  readonly streamSequence?: number;
}

export interface HandlerContext {
  /** Extends the ack deadline for long handlers. */
  working(): void;
  readonly signal: AbortSignal;
}

export type EventHandler<T> = (event: ConsumedEvent<T>, ctx: HandlerContext) => Promise<void>;
