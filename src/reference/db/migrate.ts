import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './db.ts';
import { MigrationError } from './errors.ts';

const MIGRATION_FILE = /^(\d{3,})_[a-z0-9_-]+\.sql$/;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly file: string;
  readonly sql: string;
}

/** Plain numbered SQL files (`001_init.sql`, `002_...sql`), applied in order. */
export function readMigrations(dir: string): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const seen = new Map<number, string>();
  return files.map((name) => {
    const match = MIGRATION_FILE.exec(name);
    const file = join(dir, name);
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

/** Applies the migrations not applied yet, each in its own transaction; returns the versions applied. */
export async function migrate(db: Db, dir: string): Promise<number[]> {
  const migrations = readMigrations(dir);
  await db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      // Serialises concurrent migrators on PostgreSQL (a no-op cost on PGlite).
      await tx.query('LOCK TABLE schema_migrations IN EXCLUSIVE MODE');
      const existing = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
        migration.version,
      ]);
      if (existing.rows.length > 0) return false;
      try {
        for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      } catch (error) {
        throw new MigrationError(`${migration.file}: ${(error as Error).message}`, migration.file, {
          cause: error,
        });
      }
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}

/** Splits on `;` at line ends; migrations here hold no functions with embedded semicolons. */
function splitStatements(sql: string): string[] {
  return sql
    .replace(/--[^\n]*\n/g, '\n')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
