// The event a handler is working on, visible to everything it calls (AsyncLocalStorage), so events it
// publishes inherit the correlation id, name it as their cause, and continue its trace.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface EventScope {
  /** Id of the consumed event: the causation id of events published while handling it. */
  readonly eventId: string;
  readonly correlationId: string;
  readonly traceparent?: string;
  /** `traceparent` is a recording OpenTelemetry span's (the consumer span): events continue it as is. */
  readonly spanRecorded?: boolean;
}

const storage = new AsyncLocalStorage<EventScope>();

/** The consumed event the current code runs for, if any. */
export function currentEventScope(): EventScope | undefined {
  return storage.getStore();
}

/** Run `fn` as the handling of one consumed event (the router does this around every handler). */
export function runInEventScope<R>(scope: EventScope, fn: () => R): R {
  return storage.run(scope, fn);
}
