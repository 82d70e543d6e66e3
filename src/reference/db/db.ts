// One small database interface for every reference service, so the same SQL runs on embedded PGlite
// (default) and on PostgreSQL (when DATABASE_URL is set).

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

export interface Db extends Queryable {
  readonly dialect: 'pglite' | 'postgres';
  /** Where the data lives (a directory for PGlite, `schema@host/db` for PostgreSQL); for messages. */
  readonly location: string;
  /** Runs `fn` in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs several statements separated by `;` (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}
