// Errors of the messaging runtime. Handlers throw PermanentError / TransientError to steer redelivery;
// the runtime throws DecodeError / SchemaError (both permanent) for bad payloads.

export interface RuntimeErrorOptions {
  readonly cause?: unknown;
}

/** A message that will never be handled successfully: terminate it and dead-letter it. */
export class PermanentError extends Error {
  override readonly name: string = 'PermanentError';
  constructor(message: string, options?: RuntimeErrorOptions) {
    super(message, options);
  }
}

/** A failure that may go away: redeliver after a delay (the consumer's backoff). */
export class TransientError extends Error {
  override readonly name: string = 'TransientError';
  constructor(message: string, options?: RuntimeErrorOptions) {
    super(message, options);
  }
}

/** Bytes that are not a valid payload of the expected type. Permanent. */
export class DecodeError extends PermanentError {
  override readonly name: string = 'DecodeError';
  readonly type: string;
  constructor(type: string, message: string, options?: RuntimeErrorOptions) {
    super(`cannot decode ${type}: ${message}`, options);
    this.type = type;
  }
}

/** A value that does not fit its schema (before publishing, or after decoding). Permanent. */
export class SchemaError extends PermanentError {
  override readonly name: string = 'SchemaError';
  readonly type: string;
  readonly problems: readonly string[];
  constructor(type: string, problems: readonly string[], options?: RuntimeErrorOptions) {
    super(`${type} does not fit its schema: ${problems.join('; ')}`, options);
    this.type = type;
    this.problems = problems;
  }
}

export type TransportErrorCode =
  | 'timeout'
  | 'no-responders'
  | 'unavailable'
  | 'closed'
  | 'not-found'
  | 'rejected';

/** A broker operation failed; `retryable` says whether repeating the same operation may succeed. */
export class TransportError extends Error {
  override readonly name: string = 'TransportError';
  readonly code: TransportErrorCode;
  readonly retryable: boolean;
  constructor(code: TransportErrorCode, message: string, options?: RuntimeErrorOptions) {
    super(message, options);
    this.code = code;
    this.retryable = code === 'timeout' || code === 'no-responders' || code === 'unavailable';
  }
}

/** A publish that did not get a PubAck after every attempt. */
export class PublishError extends Error {
  override readonly name: string = 'PublishError';
  readonly subject: string;
  readonly id: string;
  readonly attempts: number;
  constructor(subject: string, id: string, attempts: number, options?: RuntimeErrorOptions) {
    const cause = options?.cause;
    const reason = cause instanceof Error ? `: ${cause.message}` : '';
    // "No responders" from JetStream usually means no stream stores the subject.
    const hint =
      cause instanceof TransportError && cause.code === 'no-responders'
        ? ' (no stream stores this subject, or JetStream is down: run eventkit provision / check the server)'
        : '';
    super(`publish of ${id} to ${subject} failed after ${attempts} attempt(s)${reason}${hint}`, options);
    this.subject = subject;
    this.id = id;
    this.attempts = attempts;
  }
}

/** A handler ran longer than its timeout. Transient: the next delivery may be faster. */
export class HandlerTimeoutError extends TransientError {
  override readonly name: string = 'HandlerTimeoutError';
  constructor(timeoutMs: number) {
    super(`handler did not finish within ${timeoutMs} ms`);
  }
}

/** Wrong use of the runtime (bad options, router started twice, ...): a bug in the caller. */
export class RuntimeUsageError extends Error {
  override readonly name: string = 'RuntimeUsageError';
  constructor(message: string, options?: RuntimeErrorOptions) {
    super(message, options);
  }
}

/** The local nats-server could not be started or reached. */
export class NatsServerError extends Error {
  override readonly name: string = 'NatsServerError';
  constructor(message: string, options?: RuntimeErrorOptions) {
    super(message, options);
  }
}

export const isPermanentError = (e: unknown): e is PermanentError => e instanceof PermanentError;
export const isTransientError = (e: unknown): e is TransientError => e instanceof TransientError;
export const isDecodeError = (e: unknown): e is DecodeError => e instanceof DecodeError;
export const isSchemaError = (e: unknown): e is SchemaError => e instanceof SchemaError;
export const isTransportError = (e: unknown): e is TransportError => e instanceof TransportError;
export const isPublishError = (e: unknown): e is PublishError => e instanceof PublishError;
export const isHandlerTimeoutError = (e: unknown): e is HandlerTimeoutError =>
  e instanceof HandlerTimeoutError;
export const isRuntimeUsageError = (e: unknown): e is RuntimeUsageError => e instanceof RuntimeUsageError;
export const isNatsServerError = (e: unknown): e is NatsServerError => e instanceof NatsServerError;

/** A responder answered a request with an error. */
export class RequestFailedError extends Error {
  override readonly name: string = 'RequestFailedError';
  readonly subject: string;
  readonly permanent: boolean;
  constructor(subject: string, message: string, permanent: boolean) {
    super(`request to ${subject} failed: ${message}`);
    this.subject = subject;
    this.permanent = permanent;
  }
}
export const isRequestFailedError = (e: unknown): e is RequestFailedError => e instanceof RequestFailedError;

/** Text of any thrown value, for logs and dead-letter headers. */
export function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
