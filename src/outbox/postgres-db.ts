import pg from 'pg';
import { type Db, type QueryResult, SCHEMA_NAME, type SqlParam, type Transaction } from './db.ts';
import { DbError } from './errors.ts';

export interface PostgresDbOptions {
  /** Schema the tables live in (created when missing; every connection's search_path). Default `public`. */
  readonly schema: string;
  /** Connections in the pool. Default 10. */
  readonly poolSize: number;
  /** Pause before a lost LISTEN connection reconnects. Default 1,000 ms (relays poll meanwhile). */
  readonly relistenMs: number;
}

function runner(client: pg.Pool | pg.PoolClient): Transaction {
  return {
    async query<R>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<R>> {
      const result = await client.query(sql, params as unknown[]);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql: string) {
      // No parameters: the simple query protocol, which runs several statements.
      await client.query(sql);
    },
  };
}

/** PostgreSQL through a `pg` pool; every connection works in `options.schema`. */
export async function openPostgresDb(url: string, opts: Partial<PostgresDbOptions> = {}): Promise<Db> {
  const schema = opts.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema))
    throw new DbError(`invalid schema name "${schema}": use lower-case letters, digits, _`);
  const settings = { connectionString: url, options: `-c search_path=${schema}` };
  const pool = new pg.Pool({ ...settings, max: opts.poolSize ?? 10 });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    await pool.end().catch(() => {});
    throw new DbError(
      `cannot reach PostgreSQL at ${redact(url)}: ${(error as Error).message}. Check DATABASE_URL.`,
      {
        cause: error,
      },
    );
  }
  const listeners = new Set<{ stop(): Promise<void> }>();
  const root = runner(pool);
  return {
    dialect: 'postgres',
    location: `${schema}@${redact(url)}`,
    schema,
    query: root.query,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(runner(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    exec: root.exec,
    async listen(channel, onNotify) {
      const listener = await listenOn(settings, channel, onNotify, opts.relistenMs ?? 1_000);
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
        await listener.stop();
      };
    },
    async close() {
      await Promise.all([...listeners].map((l) => l.stop()));
      await pool.end();
    },
  };
}

/** LISTEN on a connection of its own (a pooled one would be handed to queries); reconnects when lost. */
async function listenOn(
  settings: pg.ClientConfig,
  channel: string,
  onNotify: (payload: string) => void,
  relistenMs: number,
): Promise<{ stop(): Promise<void> }> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const next = new pg.Client(settings);
    next.on('notification', (n) => {
      if (n.channel === channel) onNotify(n.payload ?? '');
    });
    next.on('error', () => {});
    next.on('end', () => {
      if (stopped || client !== next) return;
      client = undefined;
      retry = setTimeout(() => connect().catch(() => reconnectLater()), relistenMs);
    });
    await next.connect();
    await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    client = next;
  };
  const reconnectLater = () => {
    if (!stopped) retry = setTimeout(() => connect().catch(() => reconnectLater()), relistenMs);
  };
  await connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
