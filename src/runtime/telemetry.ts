// OpenTelemetry through @opentelemetry/api only: nothing is recorded until the application registers an SDK.
// The tracer is the API's proxy (an SDK registered later takes over); meters are re-resolved only when the
// global provider changes. Attributes are built only for spans that record, so without an SDK a message costs
// a non-recording span and a few no-op counter calls.
import {
  type Attributes,
  type Context,
  type Counter,
  context,
  type Histogram,
  INVALID_SPAN_CONTEXT,
  type Meter,
  type MeterProvider,
  metrics,
  ProxyTracerProvider,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { currentEventScope } from './context.ts';
import { CE } from './envelope.ts';

export const INSTRUMENTATION = 'eventkit';
const tracer = trace.getTracer(INSTRUMENTATION);

// The API's no-op provider (a singleton): what the global proxy delegates to until an SDK is registered.
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();
/** The span every message gets while no SDK is registered: starting a no-op span per message costs GC. */
const NOT_RECORDING: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** False until an application registers a tracer provider (checked per message: an SDK may come later). */
export function tracingEnabled(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NOOP_TRACER_PROVIDER;
}

/** Messaging semantic conventions (the names OpenTelemetry defines for messaging systems). */
export const MESSAGING = {
  system: 'messaging.system',
  destination: 'messaging.destination.name',
  destinationTemplate: 'messaging.destination.template',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  messageId: 'messaging.message.id',
  consumerGroup: 'messaging.consumer.group.name',
  deliveryCount: 'messaging.nats.delivery_count',
  eventType: 'cloudevents.event_type',
  eventSource: 'cloudevents.event_source',
  /** Not a convention: the outbox whose rows a metric counts (the relay's `name`, default its db schema). */
  outbox: 'eventkit.outbox.name',
} as const;

/** Metric names, one place (tests and dashboards read them). */
export const METRICS = {
  published: 'eventkit.messages.published',
  acked: 'eventkit.messages.acked',
  naked: 'eventkit.messages.naked',
  deadLettered: 'eventkit.messages.dead_lettered',
  redelivered: 'eventkit.messages.redelivered',
  handlerDuration: 'eventkit.handler.duration',
  inboxDuplicates: 'eventkit.inbox.duplicates',
  consumerPending: 'eventkit.consumer.pending',
  consumerAckPending: 'eventkit.consumer.ack_pending',
  outboxBacklog: 'eventkit.outbox.backlog',
  outboxLatency: 'eventkit.outbox.commit_to_puback',
} as const;

export interface RuntimeInstruments {
  readonly published: Counter;
  readonly acked: Counter;
  readonly naked: Counter;
  readonly deadLettered: Counter;
  readonly redeliveries: Counter;
  readonly inboxDuplicates: Counter;
  /** Seconds. */
  readonly handlerDuration: Histogram;
  /** Seconds from the outbox row's transaction to its PubAck. */
  readonly outboxLatency: Histogram;
  readonly meter: Meter;
}

let cached: { provider: MeterProvider; instruments: RuntimeInstruments } | undefined;

/** Seconds; the messaging semantic conventions' advice for operation durations. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** The runtime's metric instruments on the current global meter provider. */
export function instruments(): RuntimeInstruments {
  const provider = metrics.getMeterProvider();
  if (cached?.provider === provider) return cached.instruments;
  const meter = provider.getMeter(INSTRUMENTATION);
  const made: RuntimeInstruments = {
    meter,
    published: meter.createCounter(METRICS.published, {
      description: 'events published (PubAck received), per event type',
    }),
    acked: meter.createCounter(METRICS.acked, {
      description: 'messages handled and acked, per event type and consumer group',
    }),
    naked: meter.createCounter(METRICS.naked, {
      description: 'messages given back for redelivery (nak), per event type and consumer group',
    }),
    deadLettered: meter.createCounter(METRICS.deadLettered, {
      description: 'messages copied to DEADLETTER and terminated, per event type and consumer group',
    }),
    redeliveries: meter.createCounter(METRICS.redelivered, {
      description: 'handler attempts after the first, per event type and consumer group',
    }),
    inboxDuplicates: meter.createCounter(METRICS.inboxDuplicates, {
      description: 'messages the inbox had already applied (committed), per consumer group',
    }),
    handlerDuration: meter.createHistogram(METRICS.handlerDuration, {
      unit: 's',
      description: 'handler run time per message',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    outboxLatency: meter.createHistogram(METRICS.outboxLatency, {
      unit: 's',
      description: 'from the transaction that wrote an outbox row to the PubAck of its publish',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
  };
  const pending = meter.createObservableGauge(METRICS.consumerPending, {
    description: 'messages stored and not yet delivered, per durable consumer',
  });
  const ackPending = meter.createObservableGauge(METRICS.consumerAckPending, {
    description: 'messages delivered and not yet acknowledged, per durable consumer',
  });
  const backlog = meter.createObservableGauge(METRICS.outboxBacklog, {
    description: 'outbox rows committed and not yet published',
  });
  const gauges = { pending, ackPending, backlog };
  meter.addBatchObservableCallback(
    async (result) => {
      const readings = await Promise.all([...sources.values()].map((source) => source.current()));
      for (const reading of readings)
        for (const [gauge, value, attributes] of reading) result.observe(gauges[gauge], value, attributes);
    },
    [pending, ackPending, backlog],
  );
  cached = { provider, instruments: made };
  return made;
}

/** One value of a gauge the runtime observes: which gauge, the value, its attributes. */
export type GaugeReading = readonly [
  gauge: 'pending' | 'ackPending' | 'backlog',
  value: number,
  attributes: Attributes,
];

/** A source is read only when a metric reader collects, at most once per this many ms (the last values between). */
export const GAUGE_READ_INTERVAL_MS = 5_000;

class GaugeSource {
  refs = 1;
  private readonly read: () => Promise<readonly GaugeReading[]>;
  private last: readonly GaugeReading[] = [];
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<readonly GaugeReading[]> | undefined;
  constructor(read: () => Promise<readonly GaugeReading[]>) {
    this.read = read;
  }
  current(): Promise<readonly GaugeReading[]> {
    if (Date.now() - this.readAt < GAUGE_READ_INTERVAL_MS) return Promise.resolve(this.last);
    this.reading ??= this.read().then(
      (values) => {
        this.last = values;
        this.readAt = Date.now();
        this.reading = undefined;
        return values;
      },
      () => {
        // Broker or database unreachable: report nothing rather than a stale figure.
        this.last = [];
        this.reading = undefined;
        return this.last;
      },
    );
    return this.reading;
  }
}

const sources = new Map<string, GaugeSource>();

/**
 * Feed gauges from `read` (consumer info, an outbox count). Nothing is read until an SDK's metric reader
 * collects, and then at most once per GAUGE_READ_INTERVAL_MS, so without an SDK this costs nothing. Sources
 * with the same key (competing routers on one durable) are read once. Returns the unregister function.
 */
export function observeGauges(key: string, read: () => Promise<readonly GaugeReading[]>): () => void {
  const existing = sources.get(key);
  if (existing) existing.refs++;
  else sources.set(key, new GaugeSource(read));
  instruments(); // the gauges exist on the current provider from now on
  let registered = true;
  return () => {
    if (!registered) return;
    registered = false;
    const source = sources.get(key);
    if (source && --source.refs === 0) sources.delete(key);
  };
}

/** Where a channel address is known by event type: span names use it rather than the concrete subject. */
const templates = new Map<string, string>();

/** Remember `type`'s channel address (createEnvelope calls it; the outbox relay's spans then name it too). */
export function noteDestinationTemplate(type: string, template: string): void {
  if (templates.size < 10_000 && !templates.has(type)) templates.set(type, template);
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The span context a W3C traceparent names (remote), if it parses. */
export function spanContextOf(traceparent: string | undefined): SpanContext | undefined {
  const m = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!m) return undefined;
  return {
    traceId: m[2] as string,
    spanId: m[3] as string,
    traceFlags: Number.parseInt(m[4] as string, 16),
    isRemote: true,
  };
}

export function traceparentOf(span: Span): string {
  const c = span.spanContext();
  return `00-${c.traceId}-${c.spanId}-${c.traceFlags.toString(16).padStart(2, '0')}`;
}

/** The traceparent of the active span when it records (so envelopes continue the caller's trace). */
export function activeTraceparent(): string | undefined {
  if (!tracingEnabled()) return undefined;
  const span = trace.getSpan(context.active());
  return span?.isRecording() ? traceparentOf(span) : undefined;
}

/**
 * The parent of an outgoing message's span: the trace the message already carries (the outbox relay publishes
 * rows written by other handlers, so the relay's own active context must not win), else the active span.
 */
function parentContext(traceparent: string | undefined): Context {
  const remote = spanContextOf(traceparent);
  return remote ? trace.setSpanContext(ROOT_CONTEXT, remote) : context.active();
}

const publishAttributeCache = new Map<string, Attributes>();

/** Metric attributes of a publish of `type` (made once per type: this runs for every publish). */
export function publishMetricAttributes(type: string): Attributes {
  let attributes = publishAttributeCache.get(type);
  if (!attributes) {
    attributes = {
      [MESSAGING.system]: 'nats',
      [MESSAGING.operationType]: 'send',
      [MESSAGING.operationName]: 'publish',
      [MESSAGING.eventType]: type,
    };
    if (publishAttributeCache.size < 10_000) publishAttributeCache.set(type, attributes);
  }
  return attributes;
}

/** Metric attributes of one consumer route (made once per route). */
export function consumeMetricAttributes(
  type: string,
  template: string,
  durable: string | undefined,
): Attributes {
  return {
    [MESSAGING.system]: 'nats',
    [MESSAGING.operationType]: 'process',
    [MESSAGING.operationName]: 'process',
    [MESSAGING.destinationTemplate]: template,
    // An ephemeral consumer (a replay) belongs to no group.
    ...(durable ? { [MESSAGING.consumerGroup]: durable } : {}),
    [MESSAGING.eventType]: type,
  };
}

/**
 * A producer span for one publish; parent: the message's traceparent (an outbox row keeps the one of the
 * transaction that wrote it), else the active span. When it records, the message's traceparent becomes this
 * span's.
 */
export function startPublishSpan(msg: {
  readonly subject: string;
  readonly id: string;
  readonly type: string;
  readonly headers: Readonly<Record<string, string>>;
}): { span: Span; headers: Readonly<Record<string, string>> } {
  if (!tracingEnabled()) return { span: NOT_RECORDING, headers: msg.headers };
  const template = templates.get(msg.type);
  const span = tracer.startSpan(
    `publish ${template ?? msg.subject}`,
    { kind: SpanKind.PRODUCER },
    parentContext(msg.headers.traceparent),
  );
  if (!span.isRecording()) return { span, headers: msg.headers };
  const attributes: Attributes = {
    [MESSAGING.system]: 'nats',
    [MESSAGING.destination]: msg.subject,
    [MESSAGING.operationType]: 'send',
    [MESSAGING.operationName]: 'publish',
    [MESSAGING.messageId]: msg.id,
    [MESSAGING.eventType]: msg.type,
  };
  const source = msg.headers[CE.source];
  if (source) attributes[MESSAGING.eventSource] = source;
  if (template) attributes[MESSAGING.destinationTemplate] = template;
  span.setAttributes(attributes);
  return { span, headers: { ...msg.headers, traceparent: traceparentOf(span) } };
}

/** A consumer span for one handled message, child of and linked to the producer's span (its traceparent). */
export function startProcessSpan(
  event: {
    readonly subject: string;
    readonly id: string;
    readonly type: string;
    readonly source: string;
    readonly traceparent?: string;
    readonly deliveryCount: number;
  },
  destinationTemplate: string,
  durable: string | undefined,
): Span {
  if (!tracingEnabled()) return NOT_RECORDING;
  const producer = spanContextOf(event.traceparent);
  const span = tracer.startSpan(
    `process ${destinationTemplate}`,
    { kind: SpanKind.CONSUMER, ...(producer ? { links: [{ context: producer }] } : {}) },
    producer ? trace.setSpanContext(ROOT_CONTEXT, producer) : ROOT_CONTEXT,
  );
  if (span.isRecording())
    span.setAttributes({
      [MESSAGING.system]: 'nats',
      [MESSAGING.destination]: event.subject,
      [MESSAGING.destinationTemplate]: destinationTemplate,
      [MESSAGING.operationType]: 'process',
      [MESSAGING.operationName]: 'process',
      [MESSAGING.messageId]: event.id,
      ...(durable ? { [MESSAGING.consumerGroup]: durable } : {}),
      [MESSAGING.deliveryCount]: event.deliveryCount,
      [MESSAGING.eventType]: event.type,
      [MESSAGING.eventSource]: event.source,
    });
  return span;
}

/**
 * A CLIENT span for one request (commands and queries over core NATS). Parent: `traceparent` when given,
 * else the active span, else the consumed event being handled (its scope carries the consumer span), else
 * none: the request starts a trace (a PlaceOrder from outside starts the order's saga).
 */
export function startRequestSpan(
  subject: string,
  type: string,
  source: string,
  traceparent: string | undefined,
): Span {
  if (!tracingEnabled()) return NOT_RECORDING;
  const parent =
    spanContextOf(traceparent) ??
    (trace.getSpan(context.active()) ? undefined : spanContextOf(currentEventScope()?.traceparent));
  const span = tracer.startSpan(
    `request ${subject}`,
    { kind: SpanKind.CLIENT },
    parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : context.active(),
  );
  if (span.isRecording())
    span.setAttributes({
      [MESSAGING.system]: 'nats',
      [MESSAGING.destination]: subject,
      [MESSAGING.operationType]: 'send',
      [MESSAGING.operationName]: 'request',
      [MESSAGING.eventType]: type,
      [MESSAGING.eventSource]: source,
    });
  return span;
}

/** A SERVER span for one answered request, child of the requester's span (the request's traceparent). */
export function startRespondSpan(
  request: {
    readonly subject: string;
    readonly id: string;
    readonly type: string;
    readonly source: string;
    readonly traceparent?: string;
  },
  group: string,
): Span {
  if (!tracingEnabled()) return NOT_RECORDING;
  const caller = spanContextOf(request.traceparent);
  const span = tracer.startSpan(
    `respond ${request.subject}`,
    { kind: SpanKind.SERVER },
    caller ? trace.setSpanContext(ROOT_CONTEXT, caller) : ROOT_CONTEXT,
  );
  if (span.isRecording())
    span.setAttributes({
      [MESSAGING.system]: 'nats',
      [MESSAGING.destination]: request.subject,
      [MESSAGING.operationType]: 'process',
      [MESSAGING.operationName]: 'respond',
      [MESSAGING.messageId]: request.id,
      [MESSAGING.consumerGroup]: group,
      [MESSAGING.eventType]: request.type,
      [MESSAGING.eventSource]: request.source,
    });
  return span;
}

export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined && span.isRecording()) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
  }
  span.end();
}

/** Run `fn` with `span` active (for instrumentation in handlers, when a context manager is registered). */
export function withSpan<R>(span: Span, fn: () => R): R {
  return context.with(trace.setSpan(context.active(), span), fn);
}
