// Errors of the event store: each with a name, a cause and an is…() guard (as nats.js does).

export interface EventStoreErrorOptions {
  readonly cause?: unknown;
}

/** Anything the event store refuses or fails to do. */
export class EventStoreError extends Error {
  override readonly name: string = 'EventStoreError';
  constructor(message: string, options?: EventStoreErrorOptions) {
    super(message, options);
  }
}

/** Another writer appended first: reload the aggregate, decide again, retry. */
export class ConcurrencyError extends EventStoreError {
  override readonly name: string = 'ConcurrencyError';
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly expectedVersion: number;
  /** The version found, when the backend knows it. */
  readonly actualVersion: number | undefined;
  constructor(
    aggregateType: string,
    aggregateId: string,
    expectedVersion: number,
    actualVersion: number | undefined,
    options?: EventStoreErrorOptions,
  ) {
    const actual = actualVersion === undefined ? 'another version' : `version ${actualVersion}`;
    super(
      `${aggregateType} ${aggregateId}: expected version ${expectedVersion}, found ${actual} (another writer appended first; reload and retry)`,
      options,
    );
    this.aggregateType = aggregateType;
    this.aggregateId = aggregateId;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

export function isEventStoreError(error: unknown): error is EventStoreError {
  return error instanceof EventStoreError;
}

export function isConcurrencyError(error: unknown): error is ConcurrencyError {
  return error instanceof ConcurrencyError;
}
