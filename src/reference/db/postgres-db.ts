import pg from 'pg';
import type { Db, Queryable, QueryResult, SqlParam } from './db.ts';
import { DbError } from './errors.ts';

function queryable(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<R>> {
      const result = await client.query(sql, params as unknown[]);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    },
  };
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/** PostgreSQL through a `pg` pool; every connection works in `schema` (created when missing). */
export async function openPostgresDb(url: string, schema: string, poolSize = 5): Promise<Db> {
  if (!SCHEMA_NAME.test(schema))
    throw new DbError(`invalid schema name "${schema}": use lower-case letters, digits, _`);
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: `-c search_path=${schema}` });
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
  const root = queryable(pool);
  return {
    dialect: 'postgres',
    location: `${schema}@${redact(url)}`,
    query: root.query,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async close() {
      await pool.end();
    },
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
