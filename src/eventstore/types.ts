// The event store's contract: what every backend (JetStream, SQL) offers and the conformance suite checks.

/** An event to append: its type name (a proto full name, e.g. `orders.es.v1.OrderCreated`) and encoded bytes. */
export interface NewEvent {
  readonly type: string;
  readonly data: Uint8Array;
  /** Free-form string metadata kept with the event (correlation id, user, …). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** An event as stored: with its aggregate version and its position in the aggregate type's log. */
export interface RecordedEvent extends NewEvent {
  readonly aggregateType: string;
  readonly aggregateId: string;
  /** 1-based version of the aggregate after this event. */
  readonly version: number;
  /**
   * Position in the aggregate type's log: increases with every commit, the same for all events of one
   * commit (JetStream stream sequence, or the SQL commit position). Projections checkpoint it.
   */
  readonly position: number;
  readonly recordedAt: Date;
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * `expectedVersion`: the version the caller's decision was based on (0 = the aggregate must not exist yet).
 * `'any'` appends after whatever is there (use only for events that do not depend on state).
 */
export interface AppendOptions {
  readonly expectedVersion: number | 'any';
}

export interface AppendResult {
  /** The aggregate's version after the append. */
  readonly version: number;
  /** The commit's position in the aggregate type's log. */
  readonly position: number;
}

/** Serialized aggregate state at a version; `load` replays only the events after it. */
export interface Snapshot {
  readonly version: number;
  readonly state: Uint8Array;
}

export interface LoadOptions {
  /** Start from the latest snapshot when there is one (default true). */
  readonly useSnapshot?: boolean;
}

export interface LoadResult {
  /** The aggregate's current version (0 when it has no events). */
  readonly version: number;
  /** The snapshot replay started from, if one was used. */
  readonly snapshot?: Snapshot;
  /** Events after the snapshot (or all of them), in version order. */
  readonly events: readonly RecordedEvent[];
}

export interface ReadOptions {
  /** Read commits after this position (0 = from the beginning). */
  readonly after: number;
  /** At most this many events (whole commits are never split; default 1,000). */
  readonly limit?: number;
}

/** An append-only, per-aggregate event log with optimistic concurrency. */
export interface EventStore {
  /** Which backend this is (`jetstream`, `pglite`, `postgres`); for messages and benchmarks. */
  readonly kind: string;
  /**
   * Appends `events` to one aggregate as one commit: all or none. Throws ConcurrencyError when the
   * aggregate's version is not `expectedVersion` (somebody else appended first).
   */
  append(
    aggregateType: string,
    aggregateId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult>;
  /** The aggregate's events in order (from its latest snapshot unless `useSnapshot: false`). */
  load(aggregateType: string, aggregateId: string, options?: LoadOptions): Promise<LoadResult>;
  /** Stores a snapshot of one aggregate; a later snapshot replaces an earlier one. */
  saveSnapshot(aggregateType: string, aggregateId: string, snapshot: Snapshot): Promise<void>;
  /** Events of every aggregate of one type in log order, after a position (projections). */
  read(aggregateType: string, options: ReadOptions): Promise<readonly RecordedEvent[]>;
  /** The position of the latest commit of one aggregate type (0 when none). */
  headPosition(aggregateType: string): Promise<number>;
  close(): Promise<void>;
}
