// One small database interface, so the same SQL runs on embedded PGlite and on PostgreSQL (`pg`).
// The outbox, its relay, the inbox and the unit of work are written against it; so can a service's own
// storage code.

export type SqlParam = string | number | bigint | boolean | null | Date | Uint8Array | readonly string[];

export interface QueryResult<R> {
  readonly rows: R[];
  /** Rows changed by INSERT/UPDATE/DELETE (0 for SELECT on some drivers). */
  readonly rowCount: number;
}

/** Something SQL can run on: the database itself or an open transaction. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<QueryResult<R>>;
}

/** An open transaction. */
export interface Transaction extends Queryable {
  /** Runs several statements separated by `;` without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** Stops listening. */
export type Unlisten = () => Promise<void>;

export interface Db extends Queryable {
  readonly dialect: 'pglite' | 'postgres';
  /** Where the data lives (a directory for PGlite, `schema@host/db` for PostgreSQL); for messages. */
  readonly location: string;
  /** The schema the tables live in (`public` on PGlite unless chosen). */
  readonly schema: string;
  /** Runs `fn` in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Runs several statements separated by `;` (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Calls `onNotify` with each notification's payload on `channel` (PostgreSQL `LISTEN`; delivered after
   * the notifying transaction commits). On PostgreSQL a dedicated connection listens and reconnects.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<Unlisten>;
  close(): Promise<void>;
}

/** PostgreSQL identifiers the adapters accept for schemas (no quoting needed). */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
