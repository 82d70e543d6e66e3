import { join } from 'node:path';
import type { Db } from './db.ts';
import { migrate } from './migrate.ts';
import { openPgliteDb } from './pglite-db.ts';
import { openPostgresDb } from './postgres-db.ts';

export interface OpenDbOptions {
  /** Service name: the PostgreSQL schema and the PGlite folder name. */
  readonly service: string;
  /** PostgreSQL connection string; PGlite when absent. Default `process.env.DATABASE_URL`. */
  readonly databaseUrl?: string;
  /** Folder holding one PGlite data directory per service. Default `.data`. */
  readonly dataRoot?: string;
  /** Schema on PostgreSQL; default the service name (tests use a fresh one each). */
  readonly schema?: string;
  /** Migrations folder to apply after opening. */
  readonly migrations?: string;
}

export async function openServiceDb(options: OpenDbOptions): Promise<Db> {
  const url = options.databaseUrl ?? process.env.DATABASE_URL;
  const db = url
    ? await openPostgresDb(url, options.schema ?? options.service)
    : await openPgliteDb(join(options.dataRoot ?? '.data', options.service));
  if (options.migrations) {
    try {
      await migrate(db, options.migrations);
    } catch (error) {
      await db.close().catch(() => {});
      throw error;
    }
  }
  return db;
}
