// The event store on PostgreSQL or PGlite: one row per event, a unique (aggregate, version) that decides
// between racing writers, and the writing transaction's id as the position. Appends can join the caller's transaction, so the events, the state they cause and
// the outbox rows of the integration events they lead to commit together (integration events leave once).
import type { Db, Queryable } from '../outbox/db.ts';
import { ConcurrencyError, EventStoreError } from './errors.ts';
import { checkAggregateId, checkAggregateType } from './names.ts';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  LoadOptions,
  LoadResult,
  NewEvent,
  ReadOptions,
  RecordedEvent,
  Snapshot,
} from './types.ts';

/** Tables of the SQL event store; applied by `migrateEventStore` (idempotent). */
export const eventStoreSchemaSql = `
CREATE TABLE IF NOT EXISTS eventkit_es_events (
  aggregate_type text NOT NULL,
  aggregate_id text NOT NULL,
  version integer NOT NULL,
  position bigint NOT NULL,
  event_type text NOT NULL,
  data bytea NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (aggregate_type, aggregate_id, version)
);
CREATE INDEX IF NOT EXISTS eventkit_es_events_by_position ON eventkit_es_events (aggregate_type, position);
CREATE TABLE IF NOT EXISTS eventkit_es_snapshots (
  aggregate_type text NOT NULL,
  aggregate_id text NOT NULL,
  version integer NOT NULL,
  state bytea NOT NULL,
  taken_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (aggregate_type, aggregate_id)
);`;

/**
 * Rows a reader may see in log order: written by transactions older than every transaction still open.
 * Such a prefix never grows in the middle, so "after position p" never skips a late commit.
 */
const SETTLED = 'position < pg_snapshot_xmin(pg_current_snapshot())::text::bigint';

export async function migrateEventStore(db: Db): Promise<void> {
  // Two processes starting at once must not race on CREATE … IF NOT EXISTS (it is not atomic in PostgreSQL).
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['eventkit.es.migrate']);
    for (const statement of eventStoreSchemaSql.split(';').map((s) => s.trim()))
      if (statement) await tx.query(statement);
  });
}

/** An SQL event store can also work inside a transaction the caller already holds. */
export interface SqlEventStore extends EventStore {
  /**
   * The same store bound to `tx`: its appends, loads and snapshots are part of that transaction (with the
   * state change and the outbox rows) and commit or roll back with it.
   */
  within(tx: Queryable): EventStore;
  /** `append` as part of `tx` (with the state change and the outbox rows); commits with it. */
  appendIn(
    tx: Queryable,
    aggregateType: string,
    aggregateId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult>;
}

export interface SqlEventStoreOptions {
  readonly db: Db;
  /** Create the tables when missing (default true). */
  readonly migrate?: boolean;
}

interface EventRow {
  aggregate_id: string;
  version: number;
  position: string | number | bigint;
  event_type: string;
  data: Uint8Array;
  metadata: Record<string, string> | string;
  recorded_at: Date | string;
}

const UNIQUE_VIOLATION = '23505';

function toRecorded(aggregateType: string, row: EventRow): RecordedEvent {
  return {
    aggregateType,
    aggregateId: row.aggregate_id,
    version: Number(row.version),
    position: Number(row.position),
    type: row.event_type,
    data: row.data instanceof Uint8Array ? row.data : new Uint8Array(row.data),
    metadata: typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata,
    recordedAt: row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at),
  };
}

const EVENT_COLUMNS = 'aggregate_id, version, position, event_type, data, metadata, recorded_at';

class SqlStore implements SqlEventStore {
  readonly kind: string;
  /** Where queries run: the database, or the caller's transaction (`within`). */
  private readonly q: Queryable;
  constructor(
    private readonly db: Db,
    private readonly tx?: Queryable,
  ) {
    this.kind = db.dialect;
    this.q = tx ?? db;
  }

  within(tx: Queryable): EventStore {
    return new SqlStore(this.db, tx);
  }

  async append(
    aggregateType: string,
    aggregateId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const tx = this.tx;
    if (tx) return this.appendIn(tx, aggregateType, aggregateId, events, options);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction((tx) =>
          this.appendIn(tx, aggregateType, aggregateId, events, options),
        );
      } catch (error) {
        // 'any' appends after whatever is there: a racing writer only means read the version again.
        if (options.expectedVersion !== 'any' || !(error instanceof ConcurrencyError) || attempt >= 20)
          throw error;
      }
    }
  }

  async appendIn(
    tx: Queryable,
    aggregateType: string,
    aggregateId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    checkAggregateType(aggregateType);
    checkAggregateId(aggregateType, aggregateId);
    if (events.length === 0) throw new EventStoreError(`${aggregateType} ${aggregateId}: nothing to append`);
    // The position is the transaction id: a reader takes only settled transactions (SETTLED), in id order.
    const current = await tx.query<{ version: number | null; position: string }>(
      'SELECT max(version) AS version, pg_current_xact_id()::text AS position FROM eventkit_es_events WHERE aggregate_type = $1 AND aggregate_id = $2',
      [aggregateType, aggregateId],
    );
    const actual = Number(current.rows[0]?.version ?? 0);
    const expected = options.expectedVersion === 'any' ? actual : options.expectedVersion;
    if (actual !== expected) throw new ConcurrencyError(aggregateType, aggregateId, expected, actual);
    const position = Number(current.rows[0]?.position);
    const values: string[] = [];
    const params: (string | number | Uint8Array)[] = [];
    events.forEach((event, i) => {
      const p = params.length;
      values.push(`($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, $${p + 7}::jsonb)`);
      params.push(
        aggregateType,
        aggregateId,
        expected + i + 1,
        position,
        event.type,
        event.data,
        JSON.stringify(event.metadata ?? {}),
      );
    });
    try {
      await tx.query(
        `INSERT INTO eventkit_es_events (aggregate_type, aggregate_id, version, position, event_type, data, metadata) VALUES ${values.join(', ')}`,
        params,
      );
    } catch (error) {
      // Two writers read the same version: the unique key lets the first commit win; the other waits, then fails.
      if ((error as { code?: string }).code === UNIQUE_VIOLATION)
        throw new ConcurrencyError(aggregateType, aggregateId, expected, undefined, { cause: error });
      throw error;
    }
    return { version: expected + events.length, position };
  }

  async load(aggregateType: string, aggregateId: string, options: LoadOptions = {}): Promise<LoadResult> {
    checkAggregateType(aggregateType);
    checkAggregateId(aggregateType, aggregateId);
    let snapshot: Snapshot | undefined;
    if (options.useSnapshot !== false) {
      const s = await this.q.query<{ version: number; state: Uint8Array }>(
        'SELECT version, state FROM eventkit_es_snapshots WHERE aggregate_type = $1 AND aggregate_id = $2',
        [aggregateType, aggregateId],
      );
      const row = s.rows[0];
      if (row) snapshot = { version: Number(row.version), state: new Uint8Array(row.state) };
    }
    const rows = await this.q.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM eventkit_es_events WHERE aggregate_type = $1 AND aggregate_id = $2 AND version > $3 ORDER BY version`,
      [aggregateType, aggregateId, snapshot?.version ?? 0],
    );
    const events = rows.rows.map((r) => toRecorded(aggregateType, r));
    const version = events.at(-1)?.version ?? snapshot?.version ?? 0;
    return { version, events, ...(snapshot ? { snapshot } : {}) };
  }

  async saveSnapshot(aggregateType: string, aggregateId: string, snapshot: Snapshot): Promise<void> {
    checkAggregateType(aggregateType);
    checkAggregateId(aggregateType, aggregateId);
    // Same rule as on JetStream: a snapshot stands at a commit boundary of an existing version.
    const around = await this.q.query<{ version: number; position: string | number }>(
      'SELECT version, position FROM eventkit_es_events WHERE aggregate_type = $1 AND aggregate_id = $2 AND version IN ($3, $4) ORDER BY version',
      [aggregateType, aggregateId, snapshot.version, snapshot.version + 1],
    );
    const [at, after] = around.rows;
    const boundary =
      at && Number(at.version) === snapshot.version && (!after || after.position !== at.position);
    if (!boundary)
      throw new EventStoreError(
        `${aggregateType} ${aggregateId}: no commit ends at version ${snapshot.version}; snapshot the state of a loaded or appended version`,
      );
    await this.q.query(
      `INSERT INTO eventkit_es_snapshots (aggregate_type, aggregate_id, version, state) VALUES ($1, $2, $3, $4)
       ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET version = EXCLUDED.version, state = EXCLUDED.state, taken_at = now()
       WHERE eventkit_es_snapshots.version <= EXCLUDED.version`,
      [aggregateType, aggregateId, snapshot.version, snapshot.state],
    );
  }

  async read(aggregateType: string, options: ReadOptions): Promise<readonly RecordedEvent[]> {
    checkAggregateType(aggregateType);
    const limit = options.limit ?? 1_000;
    const rows = await this.q.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM eventkit_es_events WHERE aggregate_type = $1 AND position > $2 AND ${SETTLED} ORDER BY position, aggregate_id, version LIMIT $3`,
      [aggregateType, options.after, limit],
    );
    const events = rows.rows.map((r) => toRecorded(aggregateType, r));
    const last = events.at(-1);
    if (last && events.length === limit) {
      // Never split a position (one transaction): take the rest of it.
      const rest = await this.q.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM eventkit_es_events WHERE aggregate_type = $1 AND position = $2 AND (aggregate_id, version) > ($3, $4) ORDER BY aggregate_id, version`,
        [aggregateType, last.position, last.aggregateId, last.version],
      );
      events.push(...rest.rows.map((r) => toRecorded(aggregateType, r)));
    }
    return events;
  }

  async headPosition(aggregateType: string): Promise<number> {
    checkAggregateType(aggregateType);
    const r = await this.q.query<{ position: string | number | null }>(
      `SELECT max(position) AS position FROM eventkit_es_events WHERE aggregate_type = $1 AND ${SETTLED}`,
      [aggregateType],
    );
    return Number(r.rows[0]?.position ?? 0);
  }

  async close(): Promise<void> {}
}

/** An event store in `db` (PostgreSQL or PGlite); the caller owns and closes `db`. */
export async function createSqlEventStore(options: SqlEventStoreOptions): Promise<SqlEventStore> {
  if (options.migrate !== false) await migrateEventStore(options.db);
  return new SqlStore(options.db);
}
