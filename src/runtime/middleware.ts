// Handler behaviour as composable middleware (watermill style): each wraps the next step.
// The router applies its settle policy (ack / delayed nak / term + dead-letter) around the chain.
import type { ConsumedEvent, ConsumerOptions, EventDescriptor, HandlerContext } from './api.ts';
import { errorText, HandlerTimeoutError, isPermanentError, SchemaError } from './errors.ts';
import type { Delivery } from './transport.ts';

export interface RouteInfo {
  readonly service: string;
  readonly descriptor: EventDescriptor<unknown>;
  readonly consumer: ConsumerOptions;
}

/** One message travelling through the middleware chain. */
export interface RouteMessage {
  readonly delivery: Delivery;
  readonly route: RouteInfo;
  /** The decoded event (decoding happens before the chain; decode errors never reach it). */
  readonly event: ConsumedEvent<unknown>;
  readonly ctx: HandlerContext;
}

export type RouteHandler = (msg: RouteMessage) => Promise<void>;
export type Middleware = (next: RouteHandler) => RouteHandler;

export interface Logger {
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

const noop = () => undefined;
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/** JSON lines on stderr at `level` and above. */
export function consoleLogger(level: 'debug' | 'info' | 'warn' | 'error' = 'info'): Logger {
  const order = ['debug', 'info', 'warn', 'error'] as const;
  const min = order.indexOf(level);
  const at = (l: (typeof order)[number]) => (message: string, fields?: Readonly<Record<string, unknown>>) => {
    if (order.indexOf(l) >= min)
      process.stderr.write(
        `${JSON.stringify({ level: l, time: new Date().toISOString(), message, ...fields })}\n`,
      );
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Compose middleware so the first one is the outermost. */
export function compose(middleware: readonly Middleware[], handler: RouteHandler): RouteHandler {
  return middleware.reduceRight<RouteHandler>((next, m) => m(next), handler);
}

/** Re-check the decoded payload against its schema (a SchemaError is permanent). */
export function validation(): Middleware {
  return (next) => async (msg) => {
    const problems = msg.route.descriptor.codec.validate(msg.event.payload);
    if (problems.length > 0) throw new SchemaError(msg.route.descriptor.type, problems);
    await next(msg);
  };
}

/** Fail (transiently) when the handler runs longer than `ms`, and abort its signal. */
export function timeout(ms: number): Middleware {
  return (next) => (msg) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new HandlerTimeoutError(ms)), ms);
      next(msg).then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
}

/**
 * Retry transient failures in process before giving the message back to the broker
 * (cheap for blips such as a lost DB connection; permanent errors are not retried).
 */
export function retry(options: {
  readonly attempts: number;
  readonly delayMs: number;
  readonly multiplier?: number;
}): Middleware {
  return (next) => async (msg) => {
    let delay = options.delayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(msg);
      } catch (error) {
        if (isPermanentError(error) || attempt >= options.attempts || msg.ctx.signal.aborted) throw error;
        msg.ctx.working();
        await new Promise((r) => setTimeout(r, delay));
        delay *= options.multiplier ?? 2;
      }
    }
  };
}

/** Log each handled message (debug) and each failure (warn) with its ids. */
export function logging(logger: Logger): Middleware {
  return (next) => async (msg) => {
    const fields = {
      service: msg.route.service,
      type: msg.event.type,
      id: msg.event.id,
      subject: msg.event.subject,
      deliveryCount: msg.event.deliveryCount,
      correlationId: msg.event.correlationId,
    };
    try {
      await next(msg);
      logger.debug('handled', fields);
    } catch (error) {
      logger.warn('handler failed', { ...fields, error: errorText(error) });
      throw error;
    }
  };
}

/** One handled message as a span: enough to feed a tracer or metrics without a dependency here. */
export interface HandlerSpan {
  readonly service: string;
  readonly type: string;
  readonly id: string;
  readonly subject: string;
  readonly correlationId: string;
  /** The consumed event's W3C traceparent (its trace continues in events the handler publishes). */
  readonly traceparent?: string;
  readonly deliveryCount: number;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly outcome: 'ok' | 'error';
  readonly error?: string;
}

/** Report a span per handled message (success or failure); a throwing reporter never fails the message. */
export function tracing(report: (span: HandlerSpan) => void): Middleware {
  return (next) => async (msg) => {
    const startedAt = new Date();
    const started = performance.now();
    const base = {
      service: msg.route.service,
      type: msg.event.type,
      id: msg.event.id,
      subject: msg.event.subject,
      correlationId: msg.event.correlationId,
      ...(msg.event.traceparent ? { traceparent: msg.event.traceparent } : {}),
      deliveryCount: msg.event.deliveryCount,
      startedAt,
    };
    const emit = (span: HandlerSpan) => {
      try {
        report(span);
      } catch {
        // Observability must not change delivery outcomes.
      }
    };
    try {
      await next(msg);
      emit({ ...base, durationMs: performance.now() - started, outcome: 'ok' });
    } catch (error) {
      emit({ ...base, durationMs: performance.now() - started, outcome: 'error', error: errorText(error) });
      throw error;
    }
  };
}
