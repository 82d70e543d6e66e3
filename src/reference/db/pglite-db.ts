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
import type { Db, Queryable, QueryResult, SqlParam } from './db.ts';
import { DbError } from './errors.ts';

type PgliteRunner = Pick<PGlite | Transaction, 'query'>;

function queryable(runner: PgliteRunner): Queryable {
  return {
    async query<R>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<R>> {
      const result = await runner.query<R>(sql, params as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
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
 * contention to test here (that is what the PostgreSQL variant is for).
 */
export async function openPgliteDb(dataDir: string): Promise<Db> {
  if (!dataDir.startsWith('memory://') && (!existsSync(dataDir) || readdirSync(dataDir).length === 0)) {
    // initdb in WASM takes seconds; a fresh database starts as a copy of a blank one made once per machine.
    const template = await blankDataDir();
    mkdirSync(dataDir, { recursive: true });
    cpSync(template, dataDir, { recursive: true });
  }
  let pg: PGlite;
  try {
    const blank = dataDir.startsWith('memory://') ? await blankDump() : undefined;
    pg = await PGlite.create(dataDir, blank === undefined ? {} : { loadDataDir: blank });
  } catch (error) {
    throw new DbError(
      `cannot open the PGlite database in ${dataDir}: ${(error as Error).message}. ` +
        'Another process may hold it; stop that process or choose another data directory.',
      { cause: error },
    );
  }
  const root = queryable(pg);
  return {
    dialect: 'pglite',
    location: dataDir,
    async query<R>(sql: string, params?: readonly SqlParam[]) {
      const result = await root.query<R>(sql, params);
      await yieldToEventLoop();
      return result;
    },
    async transaction(fn) {
      const result = await pg.transaction((tx) => fn(queryable(tx)));
      await yieldToEventLoop();
      return result;
    },
    async exec(sql) {
      await pg.exec(sql);
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
