import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';
import { MigrationError } from './errors.ts';

const MIGRATION_FILE = /^(\d{3,})_[a-z0-9_-]+\.sql$/;
const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly file: string;
  readonly sql: string;
}

export interface MigrateOptions {
  /** Table that records the applied versions. Default `schema_migrations`. */
  readonly table: string;
}

/** The kernel's own migrations (outbox, inbox, notify trigger) are tracked apart from a service's. */
export const OUTBOX_MIGRATIONS_TABLE = 'eventkit_migrations';

/** Plain numbered SQL files (`001_init.sql`, `002_...sql`), in version order. */
export function readMigrations(dir: string | URL): Migration[] {
  const folder = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const seen = new Map<number, string>();
  return files.map((name) => {
    const match = MIGRATION_FILE.exec(name);
    const file = join(folder, name);
    if (!match)
      throw new MigrationError(`${file}: migration file names look like 001_describe_change.sql`, file);
    const version = Number(match[1]);
    const clash = seen.get(version);
    if (clash)
      throw new MigrationError(
        `${file}: version ${version} is also used by ${clash}; renumber one of them`,
        file,
      );
    seen.set(version, name);
    return { version, name, file, sql: readFileSync(file, 'utf8') };
  });
}

/**
 * Applies the migrations in `dir` not applied yet, each in its own transaction, and records them in the
 * migrations table; returns the versions applied (none on a second call). Concurrent callers on
 * PostgreSQL (several instances starting at once) are serialised by a table lock.
 */
export async function migrate(
  db: Db,
  dir: string | URL,
  options: Partial<MigrateOptions> = {},
): Promise<number[]> {
  const table = options.table ?? 'schema_migrations';
  if (!TABLE_NAME.test(table)) throw new Error(`invalid migrations table name "${table}"`);
  const migrations = readMigrations(dir);
  await db.exec(
    `CREATE TABLE IF NOT EXISTS ${table} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
      const existing = await tx.query(`SELECT 1 FROM ${table} WHERE version = $1`, [migration.version]);
      if (existing.rows.length > 0) return false;
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        throw new MigrationError(`${migration.file}: ${(error as Error).message}`, migration.file, {
          cause: error,
        });
      }
      await tx.query(`INSERT INTO ${table} (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}

/** The folder of the kernel's SQL files, next to this module (`npm run build` copies them into dist/outbox/). */
export function outboxMigrationsDir(): string {
  const candidates = [new URL('./migrations/', import.meta.url)];
  for (const candidate of candidates) {
    const dir = fileURLToPath(candidate);
    if (existsSync(join(dir, '001_outbox.sql'))) return dir;
  }
  throw new MigrationError(
    `the outbox migrations are missing next to ${fileURLToPath(import.meta.url)}; reinstall eventkit`,
    fileURLToPath(candidates[0] as URL),
  );
}

/** Creates (or brings up to date) the outbox, inbox and relay-wake tables in `db`. Idempotent: one call at start. */
export function migrateOutbox(db: Db): Promise<number[]> {
  return migrate(db, outboxMigrationsDir(), { table: OUTBOX_MIGRATIONS_TABLE });
}
