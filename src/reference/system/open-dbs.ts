// Opens the five services' databases for checks after a run (PGlite data dirs or PostgreSQL schemas).
import { join } from 'node:path';
import type { Db } from 'eventkit/outbox';
import { openServiceDb } from '../platform/open-db.ts';
import type { SystemDbs } from './invariants.ts';
import { SERVICE_NAMES, type ServiceName } from './services.ts';

export interface OpenedDbs {
  readonly dbs: SystemDbs;
  close(): Promise<void>;
}

export async function openSystemDbs(options: {
  dataRoot: string;
  databaseUrl?: string;
  schemaPrefix?: string;
  /** The services ran in one process on one shared PGlite (see startServices). */
  sharedPglite?: boolean;
}): Promise<OpenedDbs> {
  const opened: Partial<Record<ServiceName, Db>> = {};
  try {
    for (const service of SERVICE_NAMES) {
      opened[service] = await openServiceDb({
        service,
        dataRoot: options.dataRoot,
        ...(options.sharedPglite ? { sharedPglite: true } : {}),
        migrations: join(import.meta.dirname, '..', service, 'migrations'),
        ...(options.databaseUrl
          ? { databaseUrl: options.databaseUrl, schema: `${options.schemaPrefix ?? ''}${service}` }
          : {}),
      });
    }
  } catch (error) {
    await Promise.all(Object.values(opened).map((db) => db.close()));
    throw error;
  }
  return {
    dbs: opened as SystemDbs,
    close: async () => {
      await Promise.all(Object.values(opened).map((db) => db.close()));
    },
  };
}

/** Drops the per-service schemas a run created on PostgreSQL (`<prefix><service>`). */
export async function dropServiceSchemas(databaseUrl: string, prefix: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const service of SERVICE_NAMES)
      await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(`${prefix}${service}`)} CASCADE`);
  } finally {
    await client.end();
  }
}
