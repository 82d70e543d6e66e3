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

/**
 * PGlite runs queries synchronously in WASM and resolves them as microtasks, so a busy service would
 * chain transactions without ever letting timers and socket reads run (ack heartbeats, PubAcks).
 * Yielding a macrotask turn after each statement/transaction keeps the process responsive.
 */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Embedded PostgreSQL (WASM) with its data directory on disk; `memory://` keeps it in memory.
 * PGlite has one connection: transactions are serialised by PGlite itself, so there is no lock
 * contention to test here (that is what the PostgreSQL variant is for), and one relay per schema.
 *
 * `shared: true` lets several Dbs in one process (say, the services of a modular monolith, one schema
 * each) share one PGlite instance per data directory — one WASM heap instead of one per service. Every
 * statement then runs in a transaction that sets `search_path` to the Db's schema first.
 */
export async function openPgliteDb(dataDir: string, options: Partial<PgliteDbOptions> = {}): Promise<Db> {
  const schema = options.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema))
    throw new DbError(`invalid schema name "${schema}": use lower-case letters, digits, _`);
  if (!options.shared) {
    const pg = await openInstance(dataDir);
    if (schema !== 'public')
      await pg.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}`);
    return wrap(pg, dataDir, schema, undefined, () => pg.close());
  }
  let entry = sharedInstances.get(dataDir);
  if (!entry) {
    entry = { pg: openInstance(dataDir), users: 0 };
    sharedInstances.set(dataDir, entry);
  }
  entry.users++;
  const opened = entry;
  let pg: PGlite;
  try {
    pg = await opened.pg;
    await pg.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    if (--opened.users === 0) sharedInstances.delete(dataDir);
    throw error;
  }
  let closed = false;
  return wrap(pg, dataDir, schema, `SET LOCAL search_path TO ${schema}`, async () => {
    if (closed) return;
    closed = true;
    if (--opened.users > 0) return;
    sharedInstances.delete(dataDir);
    await pg.close();
  });
}

export interface PgliteDbOptions {
  /** Schema for the tables (created when missing). Default `public`. */
  readonly schema: string;
  /** Share one PGlite instance per data directory with the other shared Dbs of this process. Default false. */
  readonly shared: boolean;
}

const sharedInstances = new Map<string, { pg: Promise<PGlite>; users: number }>();

async function openInstance(dataDir: string): Promise<PGlite> {
  if (!dataDir.startsWith('memory://') && (!existsSync(dataDir) || readdirSync(dataDir).length === 0)) {
    // initdb in WASM takes seconds; a fresh database starts as a copy of a blank one made once per machine.
    const template = await blankDataDir();
    mkdirSync(dataDir, { recursive: true });
    cpSync(template, dataDir, { recursive: true });
  }
  try {
    // In memory: start from a dump of the blank database instead of running initdb again.
    const blank = dataDir.startsWith('memory://') ? await blankDump() : undefined;
    return await PGlite.create(dataDir, blank === undefined ? {} : { loadDataDir: blank });
  } catch (error) {
    throw new DbError(
      `cannot open the PGlite database in ${dataDir}: ${(error as Error).message}. ` +
        'Another process may hold it; stop that process or choose another data directory.',
      { cause: error },
    );
  }
}

/** The Db over one instance; `enter` (shared instances) runs first in every transaction. */
function wrap(
  pg: PGlite,
  dataDir: string,
  schema: string,
  enter: string | undefined,
  close: () => Promise<void>,
): Db {
  const inTransaction = async <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
    const result = await pg.transaction(async (tx) => {
      if (enter) await tx.exec(enter);
      return fn(runner(tx));
    });
    await yieldToEventLoop();
    return result;
  };
  const root = runner(pg);
  return {
    dialect: 'pglite',
    location: enter ? `${dataDir} (schema ${schema})` : dataDir,
    schema,
    async query<R>(sql: string, params?: readonly SqlParam[]) {
      if (enter) return inTransaction((tx) => tx.query<R>(sql, params));
      const result = await root.query<R>(sql, params);
      await yieldToEventLoop();
      return result;
    },
    transaction: inTransaction,
    async exec(sql) {
      if (enter) await inTransaction((tx) => tx.exec(sql));
      else await pg.exec(sql);
    },
    async listen(channel, onNotify) {
      const unlisten = await pg.listen(channel, onNotify);
      return async () => {
        if (!pg.closed) await unlisten();
      };
    },
    close,
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

let blankDumpLoaded: Promise<Blob | undefined> | undefined;

/**
 * A blank data directory as a tarball for `memory://` databases, made once per machine (temp folder) and
 * read once per process: loading it skips initdb, which takes seconds in WASM. Undefined when it cannot be
 * made, and the database runs initdb as before.
 */
function blankDump(): Promise<Blob | undefined> {
  blankDumpLoaded ??= (async () => {
    const file = join(tmpdir(), `eventkit-pglite-blank-${pgliteVersion()}.tar`);
    try {
      if (existsSync(file)) return new Blob([readFileSync(file)]);
      const pg = await PGlite.create('memory://');
      const dump = await pg.dumpDataDir('none');
      await pg.close();
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, new Uint8Array(await dump.arrayBuffer()));
      renameSync(temp, file); // atomic: readers see no half-written tarball
      return dump;
    } catch {
      return undefined;
    }
  })();
  return blankDumpLoaded;
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
