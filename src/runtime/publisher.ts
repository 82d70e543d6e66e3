// Typed publishing: envelope → transport, resolved only on the broker's PubAck. A bounded window of
// publishes in flight; timeouts and "no responders" (broker restarting) are retried with the SAME
// message id, so JetStream drops the copy if an earlier attempt was stored after all.
import type { EventDescriptor, OutboundMessage, PublishOptions, PublishReceipt } from './api.ts';
import { createEnvelope } from './envelope.ts';
import { isTransportError, PublishError, RuntimeUsageError } from './errors.ts';
import { endSpan, instruments, publishMetricAttributes, startPublishSpan } from './telemetry.ts';
import type { Transport } from './transport.ts';

export interface RetryPolicy {
  /** Total attempts including the first. Default 12 (outlasts a leader election; see DEFAULT_RETRY_POLICY). */
  readonly attempts: number;
  /** Delay before the second attempt; doubles each time. Default 100 ms. */
  readonly initialDelayMs: number;
  /** Cap of the delay. Default 2 s. */
  readonly maxDelayMs: number;
}

export interface PublisherOptions {
  readonly transport: Transport;
  /** `ce-source` of every event: the publishing service. */
  readonly source: string;
  /** Publishes awaiting their PubAck at once; more wait for a slot. Default 256. */
  readonly window?: number;
  /** PubAck timeout per attempt. Default 5 s. */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
}

export interface Publisher {
  readonly source: string;
  /** Validate, encode and publish one event; resolves on the PubAck (`duplicate` when JetStream dropped it). */
  publish<T>(descriptor: EventDescriptor<T>, payload: T, options?: PublishOptions): Promise<PublishReceipt>;
  /** Publish a prepared message as is (outbox relays). */
  publishEnvelope(msg: OutboundMessage): Promise<PublishReceipt>;
  /** Publishes waiting for their PubAck (or for a window slot). */
  readonly inFlight: number;
  /** Resolves when nothing is in flight. */
  flush(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// 12 attempts: during a JetStream leader election (up to ~10 s measured on a loaded 2-core box) nats-server
// 2.9 answers publishes at once with 503 / no responders, so the back-off alone (17 s in all) must outlast it.
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 12, initialDelayMs: 100, maxDelayMs: 2_000 };
export const DEFAULT_PUBLISH_TIMEOUT_MS = 5_000;

/**
 * The longest a publish can keep retrying (every attempt timing out, every back-off waited). A stream's
 * duplicate window must be longer, or a retry could arrive after JetStream forgot the first copy's id.
 */
export function publishRetryBudgetMs(
  retry: Partial<RetryPolicy> = {},
  timeoutMs: number = DEFAULT_PUBLISH_TIMEOUT_MS,
): number {
  const policy = { ...DEFAULT_RETRY_POLICY, ...retry };
  let total = policy.attempts * timeoutMs;
  let delay = policy.initialDelayMs;
  for (let attempt = 1; attempt < policy.attempts; attempt++) {
    total += delay;
    delay = Math.min(delay * 2, policy.maxDelayMs);
  }
  return total;
}

/** A counting semaphore: `acquire` waits for a free slot. */
class Window {
  private free: number;
  private readonly waiters: (() => void)[] = [];
  private idle: (() => void)[] = [];
  private readonly size: number;
  constructor(size: number) {
    this.size = size;
    this.free = size;
  }
  get used(): number {
    return this.size - this.free + this.waiters.length;
  }
  acquire(): Promise<void> | undefined {
    if (this.free > 0) {
      this.free--;
      return undefined;
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.free++;
    if (this.used === 0) {
      const idle = this.idle;
      this.idle = [];
      for (const resolve of idle) resolve();
    }
  }
  whenIdle(): Promise<void> {
    if (this.used === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }
}

export function createPublisher(options: PublisherOptions): Publisher {
  const { transport, source } = options;
  const size = options.window ?? 256;
  if (!Number.isInteger(size) || size < 1)
    throw new RuntimeUsageError(`publisher window must be a positive integer, got ${size}`);
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const timeoutMs = options.timeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
  const window = new Window(size);

  const publishOptions = { timeoutMs };

  /** Attempts after a failed first one (the first is made in `sendInWindow`, without an async frame). */
  async function retryAfter(msg: OutboundMessage, firstError: unknown): Promise<PublishReceipt> {
    let attempt = 1;
    let delay = retry.initialDelayMs;
    let error = firstError;
    for (;;) {
      if (!isTransportError(error) || !error.retryable || attempt >= retry.attempts)
        throw new PublishError(msg.subject, msg.id, attempt, { cause: error });
      await sleep(delay);
      delay = Math.min(delay * 2, retry.maxDelayMs);
      attempt++;
      try {
        return await transport.publish(msg, publishOptions);
      } catch (next) {
        error = next;
      }
    }
  }

  /** One publish holding a window slot: a producer span (retries included), released on every outcome. */
  function sendInWindow(msg: OutboundMessage): Promise<PublishReceipt> {
    // A recording span rewrites the traceparent header; without an SDK the message goes as it is.
    let span: ReturnType<typeof startPublishSpan>['span'];
    let out: OutboundMessage;
    try {
      const started = startPublishSpan(msg);
      span = started.span;
      out = started.headers === msg.headers ? msg : { ...msg, headers: started.headers };
    } catch (error) {
      window.release();
      return Promise.reject(error);
    }
    let sent: Promise<PublishReceipt>;
    try {
      sent = transport.publish(out, publishOptions);
    } catch (error) {
      sent = Promise.reject(error);
    }
    return sent
      .catch((error: unknown) => retryAfter(out, error))
      .then(
        (receipt) => {
          window.release();
          instruments().published.add(1, publishMetricAttributes(msg.type));
          endSpan(span);
          return receipt;
        },
        (error: unknown) => {
          window.release();
          endSpan(span, error);
          throw error;
        },
      );
  }

  // Promise chains rather than async functions: this runs for every publish and each async frame costs.
  function publishEnvelope(msg: OutboundMessage): Promise<PublishReceipt> {
    const wait = window.acquire();
    return wait ? wait.then(() => sendInWindow(msg)) : sendInWindow(msg);
  }

  return {
    source,
    publish(descriptor, payload, publishOptions) {
      // Envelope errors (schema, subject) surface as rejections, never as synchronous throws.
      try {
        return publishEnvelope(
          createEnvelope(descriptor, payload, {
            ...publishOptions,
            source: publishOptions?.source || source,
          }),
        );
      } catch (error) {
        return Promise.reject(error);
      }
    },
    publishEnvelope,
    get inFlight() {
      return window.used;
    },
    flush: () => window.whenIdle(),
  };
}
