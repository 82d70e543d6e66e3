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
} as const;

export interface RuntimeInstruments {
  readonly published: Counter;
  readonly acked: Counter;
  readonly naked: Counter;
  readonly deadLettered: Counter;
  readonly redeliveries: Counter;
  readonly inboxDuplicates: Counter;
  readonly handlerDuration: Histogram;
  readonly meter: Meter;
}

let cached: { provider: MeterProvider; instruments: RuntimeInstruments } | undefined;

/** The runtime's metric instruments on the current global meter provider. */
export function instruments(): RuntimeInstruments {
  const provider = metrics.getMeterProvider();
  if (cached?.provider === provider) return cached.instruments;
  const meter = provider.getMeter(INSTRUMENTATION);
  const made: RuntimeInstruments = {
    meter,
    published: meter.createCounter('eventkit.messages.published', {
      description: 'events published (PubAck received), per event type',
    }),
    acked: meter.createCounter('eventkit.messages.acked', {
      description: 'messages handled and acked, per event type',
    }),
    naked: meter.createCounter('eventkit.messages.naked', {
      description: 'messages given back for redelivery (nak), per event type',
    }),
    deadLettered: meter.createCounter('eventkit.messages.dead_lettered', {
      description: 'messages copied to DEADLETTER and terminated, per event type',
    }),
    redeliveries: meter.createCounter('eventkit.messages.redelivered', {
      description: 'deliveries after the first, per event type',
    }),
    inboxDuplicates: meter.createCounter('eventkit.inbox.duplicates', {
      description: 'messages the inbox had already applied',
    }),
    handlerDuration: meter.createHistogram('eventkit.handler.duration', {
      unit: 'ms',
      description: 'handler run time per message',
    }),
  };
  cached = { provider, instruments: made };
  return made;
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

function parentContext(traceparent: string | undefined): Context {
  const active = context.active();
  if (trace.getSpan(active)) return active;
  const remote = spanContextOf(traceparent);
  return remote ? trace.setSpanContext(ROOT_CONTEXT, remote) : ROOT_CONTEXT;
}

/**
 * A producer span for one publish; parent: the active span, else the message's traceparent (an outbox row keeps
 * the one of the transaction that wrote it). When it records, the message's traceparent becomes this span's.
 */
export function startPublishSpan(
  msg: {
    readonly subject: string;
    readonly id: string;
    readonly type: string;
    readonly headers: Readonly<Record<string, string>>;
  },
  destinationTemplate?: string,
): { span: Span; headers: Readonly<Record<string, string>> } {
  if (!tracingEnabled()) return { span: NOT_RECORDING, headers: msg.headers };
  const span = tracer.startSpan(
    `publish ${destinationTemplate ?? msg.subject}`,
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
  if (destinationTemplate) attributes[MESSAGING.destinationTemplate] = destinationTemplate;
  span.setAttributes(attributes);
  return { span, headers: { ...msg.headers, traceparent: traceparentOf(span) } };
}

/** A consumer span for one handled message, child of and linked to the producer's span (its traceparent). */
export function startProcessSpan(
  event: {
    readonly subject: string;
    readonly id: string;
    readonly type: string;
    readonly traceparent?: string;
    readonly deliveryCount: number;
  },
  destinationTemplate: string,
  durable: string,
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
      [MESSAGING.consumerGroup]: durable,
      [MESSAGING.deliveryCount]: event.deliveryCount,
      [MESSAGING.eventType]: event.type,
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
