// Where a reference service keeps its data: a PGlite data directory `<dataRoot>/<service>`, or a schema
// on PostgreSQL when DATABASE_URL is set. Opens it and applies the kernel's and the service's migrations.
import { join } from 'node:path';
import { type Db, migrate, migrateOutbox, openPgliteDb, openPostgresDb } from 'eventkit/outbox';

export interface OpenDbOptions {
  /** Service name: the PostgreSQL schema and the PGlite folder name. */
  readonly service: string;
  /** PostgreSQL connection string; PGlite when absent. Default `process.env.DATABASE_URL`. */
  readonly databaseUrl?: string;
  /** Folder holding one PGlite data directory per service. Default `.data`. */
  readonly dataRoot?: string;
  /** Schema on PostgreSQL; default the service name (tests use a fresh one each). */
  readonly schema?: string;
  /**
   * PGlite: one database for every service of this process (`<dataRoot>/all-services`, a schema per
   * service) instead of `<dataRoot>/<service>` each — one WASM heap instead of five. Default false.
   */
  readonly sharedPglite?: boolean;
  /** The service's own migrations folder, applied after the kernel's (outbox, inbox). */
  readonly migrations?: string;
}

export async function openServiceDb(options: OpenDbOptions): Promise<Db> {
  const url = options.databaseUrl ?? process.env.DATABASE_URL;
  const db = url
    ? await openPostgresDb(url, { schema: options.schema ?? options.service })
    : options.sharedPglite
      ? await openPgliteDb(join(options.dataRoot ?? '.data', 'all-services'), {
          schema: options.schema ?? options.service,
          shared: true,
        })
      : await openPgliteDb(join(options.dataRoot ?? '.data', options.service));
  if (options.migrations) {
    try {
      await migrateOutbox(db);
      await migrate(db, options.migrations);
    } catch (error) {
      await db.close().catch(() => {});
      throw error;
    }
  }
  return db;
}
