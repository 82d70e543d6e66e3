// Consumes events for one service: one durable pull consumer per (service, event), a middleware chain
// around each handler, and ONE settle policy:
//   success → ack; transient failure → nak with the backoff delay for this delivery;
//   permanent failure (PermanentError, decode, schema) or failure of the last delivery → dead-letter + term.
// Ordered routes run one message per subject at a time (per-aggregate order) and retry in place,
// so a later event of the same aggregate never overtakes an earlier one.

import type { Attributes, Span } from '@opentelemetry/api';
import { defaultConsumerSettings, durableName as modelDurableName } from '../model/names.ts';
import type { ConsumedEvent, ConsumerOptions, EventDescriptor, EventHandler, HandlerContext } from './api.ts';
import { type EventScope, runInEventScope } from './context.ts';
import { type DeadLetterReason, deadLetterMessage, deadLetterStreamSpec } from './dead-letter.ts';
import { readEnvelope } from './envelope.ts';
import {
  errorText,
  HandlerTimeoutError,
  isPermanentError,
  PermanentError,
  RuntimeUsageError,
} from './errors.ts';
import {
  compose,
  type Logger,
  type Middleware,
  type RouteHandler,
  type RouteInfo,
  type RouteMessage,
  silentLogger,
} from './middleware.ts';
import {
  consumeMetricAttributes,
  endSpan,
  instruments,
  MESSAGING,
  observeGauges,
  startProcessSpan,
  traceparentOf,
  withSpan,
} from './telemetry.ts';
import type { ConsumeSpec, Delivery, StreamSpec, Subscription, Transport } from './transport.ts';

/** The consumer defaults of the registry (one module owns them). */
export const defaultConsumerOptions: Omit<ConsumerOptions, 'durable'> = defaultConsumerSettings;

/** Consumer settings plus how this router runs the handler. */
export interface RouteOptions extends Partial<ConsumerOptions> {
  /** No durable: a consumer that goes away when the router stops (tools, replays). */
  readonly ephemeral?: boolean;
  /** Handlers of this route running at once. Default min(maxAckPending, 64). Ordered: across subjects. */
  readonly concurrency?: number;
  /** Handler timeout (a transient failure). Default the consumer's ackWaitMs. */
  readonly timeoutMs?: number;
  /** Call working() for messages held longer than a third of the ack wait. Default true. */
  readonly heartbeat?: boolean;
  /** Messages the client buffers per pull. */
  readonly prefetch?: number;
  /** Middleware of this route only (inside the router's). */
  readonly middleware?: readonly Middleware[];
}

export interface RouterOptions {
  readonly transport: Transport;
  /** Service id: default durable names `<service>--<event-kebab>-v<major>`, dead-letter subjects. */
  readonly service: string;
  /** Outermost first; they run inside the scope of the consumed event. */
  readonly middleware?: readonly Middleware[];
  readonly logger?: Logger;
  /** Dead-letter stream settings, or false to only `term` (not recommended). */
  readonly deadLetter?: Partial<StreamSpec> | false;
}

export interface RouterStats {
  readonly acked: number;
  readonly retried: number;
  readonly deadLettered: number;
  /** Of those dead-lettered: events whose `ce-source` is not their declared producer (forged or misrouted). */
  readonly wrongSource: number;
  readonly inFlight: number;
}

export type RouterState = 'idle' | 'running' | 'draining' | 'closed';

export interface Router {
  readonly service: string;
  readonly state: RouterState;
  /** Register a handler for one event type (before start). */
  handle<T>(descriptor: EventDescriptor<T>, options: RouteOptions, handler: EventHandler<T>): Router;
  /** Same as handle (the name generated code uses). */
  on<T>(descriptor: EventDescriptor<T>, options: RouteOptions, handler: EventHandler<T>): Router;
  /** Add router-wide middleware (before start). */
  use(...middleware: Middleware[]): Router;
  /** Create/attach the consumers and start handling. */
  start(): Promise<void>;
  /** Stop fetching, let in-flight handlers finish and settle, give queued messages back; then resolve. */
  drain(): Promise<void>;
  /** Abort in-flight handlers (their signal), then drain. */
  close(): Promise<void>;
  stats(): RouterStats;
}

/** Durable name of a service's consumer of one event: `<service>--<event-kebab>-v<major>` (from the names module). */
export function durableName(
  service: string,
  descriptor: Pick<EventDescriptor<unknown>, 'name' | 'major'>,
): string {
  return modelDurableName(service, descriptor);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The handler's view of its message: a class, so no closures are created per message. */
class SlotContext implements HandlerContext {
  private readonly slot: Slot;
  constructor(slot: Slot) {
    this.slot = slot;
  }
  working(): void {
    this.slot.touched = Date.now();
    this.slot.delivery.working();
  }
  /** Created on first use: most handlers never look at it. */
  get signal(): AbortSignal {
    const slot = this.slot;
    if (!slot.controller) {
      slot.controller = new AbortController();
      if (slot.abortReason !== undefined) slot.controller.abort(slot.abortReason);
    }
    return slot.controller.signal;
  }
}

function abortSlot(slot: Slot, reason: unknown): void {
  slot.abortReason = reason;
  slot.controller?.abort(reason);
}

/** One message the route holds; `delivery` is replaced when the broker redelivers it meanwhile. */
interface Slot {
  delivery: Delivery;
  touched: number;
  /** Token of the attempt running now (0: none): an outcome of an earlier attempt is ignored. */
  running: number;
  /** Attempts made here (the next token). */
  attempts: number;
  /** While an attempt runs: when it started, its consumer span, and what a failure is settled with. */
  startedAt?: number;
  span?: Span;
  event?: ConsumedEvent<unknown>;
  ctx?: SlotContext;
  scope?: EventScope;
  localRetries: number;
  /** Created on first use of ctx.signal (most handlers never look). */
  controller?: AbortController;
  abortReason?: unknown;
}

class Route {
  readonly info: RouteInfo;
  readonly spec: ConsumeSpec;
  readonly options: RouteOptions;
  readonly concurrency: number;
  readonly heartbeatMs: number;
  readonly timeoutMs: number;
  /** Metric attributes of this route's messages (one object, not one per message). */
  readonly metricAttributes: Attributes;
  private unobserve: (() => void) | undefined;
  private chain: RouteHandler = async () => undefined;
  private subscription: Subscription | undefined;
  /** By stream sequence: queued and running messages. */
  private readonly held = new Map<number, Slot>();
  private readonly ready: Slot[] = [];
  /** Ordered mode: subjects with a message running or ready → the ones waiting behind it. */
  private readonly subjects = new Map<string, Slot[]>();
  private active = 0;
  private stopping = false;
  private idleWaiters: (() => void)[] = [];
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private readonly router: RouterCore;

  constructor(router: RouterCore, info: RouteInfo, spec: ConsumeSpec, options: RouteOptions) {
    this.router = router;
    this.info = info;
    this.spec = spec;
    this.options = options;
    this.metricAttributes = consumeMetricAttributes(
      info.descriptor.type,
      info.descriptor.subjectPattern,
      spec.durable,
    );
    this.concurrency = options.concurrency ?? Math.min(spec.maxAckPending, 64);
    const shortestWait = Math.min(spec.ackWaitMs, ...spec.backoffMs);
    // Touch anything held for a quarter of the shortest ack wait (with backoff the server uses backoff[0]).
    this.timeoutMs = options.timeoutMs ?? info.consumer.ackWaitMs;
    // The same sweep enforces handler timeouts (detected within a quarter of the timeout).
    this.heartbeatMs = Math.max(5, Math.floor(Math.min(shortestWait, this.timeoutMs) / 4));
  }

  async start(chain: RouteHandler): Promise<void> {
    this.chain = chain;
    this.stopping = false;
    this.subscription = await this.router.transport.consume(this.spec, (d) => this.onDelivery(d));
    this.heartbeatTimer = setInterval(() => this.beat(), this.heartbeatMs);
    this.heartbeatTimer.unref();
    this.observeLag();
  }

  /** Pending and ack-pending of the durable as gauges (read from consumer info only while an SDK collects). */
  private observeLag(): void {
    const { stream, durable } = this.spec;
    if (!durable) return;
    const attributes: Attributes = {
      [MESSAGING.system]: 'nats',
      [MESSAGING.consumerGroup]: durable,
      [MESSAGING.destination]: this.spec.filterSubject,
    };
    const transport = this.router.transport;
    this.unobserve = observeGauges(`consumer ${stream} ${durable}`, async () => {
      const state = await transport.consumerState(stream, durable);
      return state
        ? [
            ['pending', state.pending, attributes],
            ['ackPending', state.ackPending, attributes],
          ]
        : [];
    });
  }

  private beat(): void {
    const now = Date.now();
    const heartbeat = this.options.heartbeat !== false;
    for (const slot of this.held.values()) {
      if (slot.running && slot.startedAt !== undefined && now - slot.startedAt > this.timeoutMs) {
        const error = new HandlerTimeoutError(this.timeoutMs);
        abortSlot(slot, error);
        this.settle(slot, slot.running, error, true);
      }
      if (heartbeat && now - slot.touched >= this.heartbeatMs) {
        slot.touched = now;
        slot.delivery.working();
      }
    }
  }

  private onDelivery(delivery: Delivery): void {
    if (this.stopping) {
      delivery.nak();
      return;
    }
    const existing = this.held.get(delivery.streamSequence);
    if (existing) {
      // The ack wait ran out while we still hold it: settle the newest delivery, do not run it twice.
      existing.delivery = delivery;
      existing.touched = Date.now();
      return;
    }
    const slot: Slot = { delivery, touched: Date.now(), running: 0, attempts: 0, localRetries: 0 };
    this.held.set(delivery.streamSequence, slot);
    if (this.info.consumer.ordered) {
      const waiting = this.subjects.get(delivery.subject);
      if (waiting) {
        waiting.push(slot);
        return;
      }
      this.subjects.set(delivery.subject, []);
    }
    this.ready.push(slot);
    this.pump();
  }

  private pump(): void {
    while (this.active < this.concurrency && this.ready.length > 0) {
      const slot = this.ready.shift() as Slot;
      this.active++;
      this.run(slot);
    }
  }

  private finished(slot: Slot): void {
    const { delivery } = slot;
    this.active--;
    this.held.delete(delivery.streamSequence);
    if (this.info.consumer.ordered) {
      const waiting = this.subjects.get(delivery.subject);
      const next = waiting?.shift();
      if (next && !this.stopping) this.ready.push(next);
      else this.subjects.delete(delivery.subject);
    }
    this.pump();
    if (this.active === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  // The success path is callbacks, not async functions: with AsyncLocalStorage on Node 20 every
  // promise costs, and this runs for every message. Failures take the async path (settleFailure).
  private run(slot: Slot): void {
    const delivery = slot.delivery;
    let event: ConsumedEvent<unknown>;
    try {
      event = readEnvelope(this.info.descriptor, delivery);
      const producer = this.info.descriptor.producer;
      // Permissions stop other services publishing this subject; this catches the rest (a shared user,
      // a bridge, a replay tool) before a handler trusts an event its declared sender never sent.
      if (producer !== undefined && event.source !== producer) {
        this.router.counters.wrongSource++;
        throw new PermanentError(
          `ce-source "${event.source}" is not the declared sender of ${event.type} ("${producer}")`,
        );
      }
    } catch (error) {
      void this.router
        .deadLetter(this, slot.delivery, error, 'permanent', delivery.deliveryCount)
        .finally(() => this.finished(slot));
      return;
    }
    const scope: EventScope = event.traceparent
      ? { eventId: event.id, correlationId: event.correlationId, traceparent: event.traceparent }
      : { eventId: event.id, correlationId: event.correlationId };
    slot.event = event;
    slot.ctx = new SlotContext(slot);
    slot.scope = scope;
    this.attempt(slot, 0);
  }

  private attempt(slot: Slot, localRetries: number): void {
    const event = slot.event as ConsumedEvent<unknown>;
    const scope = slot.scope as EventScope;
    const attempt = event.deliveryCount + localRetries;
    const msg: RouteMessage = {
      delivery: slot.delivery,
      route: this.info,
      event: localRetries ? { ...event, deliveryCount: attempt } : event,
      ctx: slot.ctx as SlotContext,
    };
    const { descriptor } = this.info;
    const span = startProcessSpan(msg.event, descriptor.subjectPattern, this.spec.durable);
    const token = ++slot.attempts;
    slot.running = token;
    slot.span = span;
    slot.localRetries = localRetries;
    slot.startedAt = Date.now();
    if (attempt > 1) instruments().redeliveries.add(1, this.metricAttributes);
    let outcome: Promise<void>;
    try {
      outcome = span.isRecording()
        ? // A recording consumer span is what events published by the handler continue (no context manager needed).
          runInEventScope({ ...scope, traceparent: traceparentOf(span), spanRecorded: true }, () =>
            withSpan(span, () => this.chain(msg)),
          )
        : runInEventScope(scope, () => this.chain(msg));
    } catch (error) {
      this.settle(slot, token, error, true);
      return;
    }
    // Per-message state lives on the slot; the two arrows are all this allocates for the outcome.
    outcome.then(
      () => this.settle(slot, token, undefined, false),
      (error: unknown) => this.settle(slot, token, error, true),
    );
  }

  /** Settles attempt `token` once: by the handler's outcome or by the timeout sweep, whichever comes first. */
  private settle(slot: Slot, token: number, error: unknown, failed: boolean): void {
    if (slot.running !== token) return;
    slot.running = 0;
    const meters = instruments();
    meters.handlerDuration.record(
      (Date.now() - (slot.startedAt ?? Date.now())) / 1000,
      this.metricAttributes,
    );
    if (slot.span) endSpan(slot.span, failed ? error : undefined);
    slot.span = undefined;
    if (!failed) {
      this.ackSoon(slot.delivery);
      this.router.counters.acked++;
      meters.acked.add(1, this.metricAttributes);
      this.finished(slot);
      return;
    }
    const event = slot.event as ConsumedEvent<unknown>;
    void this.settleFailure(slot, event, slot.localRetries, event.deliveryCount + slot.localRetries, error);
  }

  /** Settle a failed attempt; frees the slot unless an ordered route retries in place. */
  private async settleFailure(
    slot: Slot,
    event: ConsumedEvent<unknown>,
    localRetries: number,
    attempt: number,
    error: unknown,
  ): Promise<void> {
    let retryingInPlace = false;
    try {
      retryingInPlace = await this.failure(slot, event, attempt, error);
    } finally {
      if (!retryingInPlace) this.finished(slot);
    }
    if (retryingInPlace) this.attempt(slot, localRetries + 1);
  }

  /** The settle policy for a failure; true when an ordered route should try again in place. */
  private async failure(
    slot: Slot,
    event: ConsumedEvent<unknown>,
    attempt: number,
    error: unknown,
  ): Promise<boolean> {
    const { descriptor, consumer } = this.info;
    if (isPermanentError(error)) {
      await this.router.deadLetter(this, slot.delivery, error, 'permanent', attempt);
      return false;
    }
    if (attempt >= consumer.maxDeliver) {
      await this.router.deadLetter(this, slot.delivery, error, 'max-deliver', attempt);
      return false;
    }
    const delay = this.backoffDelay(attempt);
    this.router.counters.retried++;
    this.router.logger.warn('handler failed, will retry', {
      service: this.info.service,
      type: descriptor.type,
      id: event.id,
      attempt,
      delayMs: delay,
      error: errorText(error),
    });
    instruments().naked.add(1, this.metricAttributes);
    if (!consumer.ordered || this.stopping) {
      slot.delivery.nak(delay);
      return false;
    }
    // Ordered: keep the subject blocked and retry here (the heartbeat keeps the message ours).
    await sleep(delay);
    if (this.stopping) {
      slot.delivery.nak();
      return false;
    }
    return true;
  }

  backoffDelay(attempt: number): number {
    const b = this.spec.backoffMs;
    return b[Math.min(attempt - 1, b.length - 1)] ?? 0;
  }

  private readonly acks: Delivery[] = [];
  private ackTimer: NodeJS.Immediate | undefined;

  /** Acks go out together at the end of the tick: one socket write for many, like a sync consumer's. */
  private ackSoon(delivery: Delivery): void {
    this.acks.push(delivery);
    this.ackTimer ??= setImmediate(() => this.flushAcks());
  }

  private flushAcks(): void {
    if (this.ackTimer) clearImmediate(this.ackTimer);
    this.ackTimer = undefined;
    for (const delivery of this.acks.splice(0)) delivery.ack();
  }

  abortAll(reason: unknown): void {
    for (const slot of this.held.values()) if (slot.running) abortSlot(slot, reason);
  }

  async drain(): Promise<void> {
    this.stopping = true;
    await this.subscription?.stop();
    this.subscription = undefined;
    // Give back what has not started, so another instance takes it now.
    for (const slot of this.ready.splice(0)) {
      this.held.delete(slot.delivery.streamSequence);
      slot.delivery.nak();
    }
    for (const [subject, waiting] of this.subjects) {
      for (const slot of waiting.splice(0)) {
        this.held.delete(slot.delivery.streamSequence);
        slot.delivery.nak();
      }
      if (this.active === 0) this.subjects.delete(subject);
    }
    if (this.active > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.flushAcks();
    this.unobserve?.();
    this.unobserve = undefined;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  get inFlight(): number {
    return this.active;
  }
}

class RouterCore {
  readonly transport: Transport;
  readonly logger: Logger;
  readonly service: string;
  readonly counters = { acked: 0, retried: 0, deadLettered: 0, wrongSource: 0 };
  readonly deadLetterSpec: StreamSpec | undefined;
  constructor(options: RouterOptions) {
    this.transport = options.transport;
    this.logger = options.logger ?? silentLogger;
    this.service = options.service;
    this.deadLetterSpec =
      options.deadLetter === false ? undefined : deadLetterStreamSpec(options.deadLetter || {});
  }

  async deadLetter(
    route: Route,
    delivery: Delivery,
    error: unknown,
    reason: DeadLetterReason,
    attempts: number,
  ): Promise<void> {
    const text = errorText(error);
    const fields = {
      service: this.service,
      subject: delivery.subject,
      seq: delivery.streamSequence,
      reason,
      error: text,
    };
    if (this.deadLetterSpec) {
      try {
        await this.transport.publish(
          deadLetterMessage(delivery, {
            service: this.service,
            error: text,
            reason,
            deliveryCount: attempts,
          }),
        );
      } catch (publishError) {
        // Never drop a message we could not park: let the broker redeliver it later.
        this.logger.error('dead-letter publish failed; message will be redelivered', {
          ...fields,
          publishError: errorText(publishError),
        });
        delivery.nak(route.backoffDelay(attempts));
        return;
      }
    }
    delivery.term(`${reason}: ${text}`.slice(0, 256));
    this.counters.deadLettered++;
    instruments().deadLettered.add(1, route.metricAttributes);
    this.logger.error('message dead-lettered', fields);
  }
}

export function createRouter(options: RouterOptions): Router {
  if (!options.service || /[.\s*>]/.test(options.service))
    throw new RuntimeUsageError(
      `router service id must be a non-empty subject token, got ${JSON.stringify(options.service)}`,
    );
  const core = new RouterCore(options);
  const routes: Route[] = [];
  const handlers = new Map<Route, EventHandler<unknown>>();
  const middleware: Middleware[] = [...(options.middleware ?? [])];
  let state: RouterState = 'idle';
  let draining: Promise<void> | undefined;

  const router: Router = {
    service: options.service,
    get state() {
      return state;
    },
    handle<T>(descriptor: EventDescriptor<T>, routeOptions: RouteOptions, handler: EventHandler<T>): Router {
      if (state !== 'idle') throw new RuntimeUsageError('register handlers before router.start()');
      if (!descriptor.stream)
        throw new RuntimeUsageError(
          `${descriptor.type} is a ${descriptor.kind} without a stream; only stored events can be consumed`,
        );
      const consumer: ConsumerOptions = {
        ...defaultConsumerOptions,
        durable: durableName(options.service, descriptor),
        ...routeOptions,
      };
      if (consumer.backoffMs.length === 0 || consumer.maxDeliver <= consumer.backoffMs.length)
        throw new RuntimeUsageError(
          `${consumer.durable}: backoff must be set and maxDeliver (${consumer.maxDeliver}) greater than its length (${consumer.backoffMs.length})`,
        );
      if (
        !routeOptions.ephemeral &&
        routes.some((r) => r.spec.durable === consumer.durable && r.spec.stream === descriptor.stream)
      )
        throw new RuntimeUsageError(`two handlers for durable ${consumer.durable}`);
      const spec: ConsumeSpec = {
        stream: descriptor.stream,
        ...(routeOptions.ephemeral ? {} : { durable: consumer.durable }),
        filterSubject: descriptor.subjectFilter,
        ackWaitMs: consumer.ackWaitMs,
        maxDeliver: consumer.maxDeliver,
        backoffMs: consumer.backoffMs,
        maxAckPending: consumer.maxAckPending,
        deliverPolicy: consumer.deliverPolicy,
        ...(routeOptions.prefetch ? { prefetch: routeOptions.prefetch } : {}),
      };
      const route = new Route(
        core,
        { service: options.service, descriptor: descriptor as EventDescriptor<unknown>, consumer },
        spec,
        routeOptions,
      );
      routes.push(route);
      handlers.set(route, handler as EventHandler<unknown>);
      return router;
    },
    on(descriptor, routeOptions, handler) {
      return router.handle(descriptor, routeOptions, handler);
    },
    use(...more) {
      if (state !== 'idle') throw new RuntimeUsageError('add middleware before router.start()');
      middleware.push(...more);
      return router;
    },
    async start() {
      if (state !== 'idle') throw new RuntimeUsageError(`router is ${state}; start it once`);
      state = 'running';
      if (core.deadLetterSpec) await core.transport.ensureStream(core.deadLetterSpec, { update: false });
      const started: Route[] = [];
      try {
        for (const route of routes) {
          const handler = handlers.get(route) as EventHandler<unknown>;
          const chain = compose([...middleware, ...(route.options.middleware ?? [])], (msg) =>
            handler(msg.event, msg.ctx),
          );
          await route.start(chain);
          started.push(route);
        }
      } catch (error) {
        for (const route of started) await route.drain();
        state = 'closed';
        throw error;
      }
    },
    drain() {
      if (state === 'idle') {
        state = 'closed';
        return Promise.resolve();
      }
      state = state === 'closed' ? state : 'draining';
      draining ??= Promise.all(routes.map((r) => r.drain())).then(() => {
        state = 'closed';
      });
      return draining;
    },
    async close() {
      for (const route of routes) route.abortAll(new Error('router closed'));
      await router.drain();
    },
    stats() {
      return { ...core.counters, inFlight: routes.reduce((n, r) => n + r.inFlight, 0) };
    },
  };
  return router;
}
