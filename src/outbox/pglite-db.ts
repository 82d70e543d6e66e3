import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { type Db, type QueryResult, SCHEMA_NAME, type SqlParam, type Transaction as Tx } from './db.ts';
import { DbError } from './errors.ts';

type PgliteRunner = Pick<PGlite | Transaction, 'query' | 'exec'>;

function runner(on: PgliteRunner): Tx {
  return {
    async query<R>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<R>> {
      const result = await on.query<R>(sql, params as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string) {
      await on.exec(sql);
    },
  };
}

export interface PgliteDbOptions {
  /** Schema for the tables (created when missing). Default `public`. */
  readonly schema: string;
}

/**
 * PGlite runs queries synchronously in WASM and resolves them as microtasks, so a busy service would
 * chain transactions without ever letting timers and socket reads run (ack heartbeats, PubAcks).
 * Yielding a macrotask turn after each statement/transaction keeps the process responsive.
 */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Embedded PostgreSQL (WASM) with its data directory on disk; `memory://` keeps it in memory.
 * PGlite has one connection: transactions are serialised by PGlite itself, so there is no lock
 * contention to test here (that is what the PostgreSQL variant is for), and one relay per data directory.
 */
export async function openPgliteDb(dataDir: string, options: Partial<PgliteDbOptions> = {}): Promise<Db> {
  const schema = options.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema))
    throw new DbError(`invalid schema name "${schema}": use lower-case letters, digits, _`);
  if (!dataDir.startsWith('memory://') && (!existsSync(dataDir) || readdirSync(dataDir).length === 0)) {
    // initdb in WASM takes seconds; a fresh database starts as a copy of a blank one made once per machine.
    const template = await blankDataDir();
    mkdirSync(dataDir, { recursive: true });
    cpSync(template, dataDir, { recursive: true });
  }
  let pg: PGlite;
  try {
    // In memory: start from a dump of the blank database instead of running initdb again.
    pg = dataDir.startsWith('memory://')
      ? await PGlite.create({ dataDir, loadDataDir: await blankDump() })
      : await PGlite.create(dataDir);
  } catch (error) {
    throw new DbError(
      `cannot open the PGlite database in ${dataDir}: ${(error as Error).message}. ` +
        'Another process may hold it; stop that process or choose another data directory.',
      { cause: error },
    );
  }
  if (schema !== 'public')
    await pg.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}`);
  const root = runner(pg);
  return {
    dialect: 'pglite',
    location: dataDir,
    schema,
    async query<R>(sql: string, params?: readonly SqlParam[]) {
      const result = await root.query<R>(sql, params);
      await yieldToEventLoop();
      return result;
    },
    async transaction(fn) {
      const result = await pg.transaction((tx) => fn(runner(tx)));
      await yieldToEventLoop();
      return result;
    },
    async exec(sql) {
      await pg.exec(sql);
    },
    async listen(channel, onNotify) {
      const unlisten = await pg.listen(channel, onNotify);
      return async () => {
        if (!pg.closed) await unlisten();
      };
    },
    async close() {
      await pg.close();
    },
  };
}

const pgliteVersion = (): string => {
  try {
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    const manifest = join(dirname(entry), '..', 'package.json');
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
};

/** A tarball of the blank data directory (for in-memory databases), made once per machine next to it. */
async function blankDump(): Promise<Blob> {
  const file = `${join(tmpdir(), `eventkit-pglite-blank-${pgliteVersion()}`)}.tar`;
  if (!existsSync(file)) {
    const copy = mkdtempSync(join(tmpdir(), 'eventkit-pglite-dump-'));
    try {
      cpSync(await blankDataDir(), copy, { recursive: true });
      const pg = await PGlite.create(copy);
      const dump = await pg.dumpDataDir('none');
      await pg.close();
      const partial = `${file}.${process.pid}`;
      writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
      renameSync(partial, file);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }
  return new Blob([readFileSync(file)]);
}

/** A blank PGlite data directory in the temp folder, created on first use (atomically: rename into place). */
async function blankDataDir(): Promise<string> {
  const template = join(tmpdir(), `eventkit-pglite-blank-${pgliteVersion()}`);
  if (existsSync(join(template, 'PG_VERSION'))) return template;
  const building = mkdtempSync(join(tmpdir(), 'eventkit-pglite-build-'));
  const pg = await PGlite.create(building);
  await pg.close();
  try {
    renameSync(building, template);
  } catch {
    // Another process finished first; its template is as good as ours.
    rmSync(building, { recursive: true, force: true });
  }
  return template;
}
