import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqlEventStore } from '../../src/eventstore/index.ts';
import type { Db } from '../../src/reference/db/db.ts';
import { openPgliteDb } from '../../src/reference/db/pglite-db.ts';
import { openPostgresDb } from '../../src/reference/db/postgres-db.ts';
import { dropSchema, freshSchema, POSTGRES_URL, postgresReachable } from '../reference/postgres.ts';
import { eventStoreConformance } from './suite.ts';

eventStoreConformance('PGlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eventkit-es-'));
  const db = await openPgliteDb(dir);
  // PGlite has one connection: the "other" store shares it, as a second writer in the same process would.
  return {
    open: () => createSqlEventStore({ db }),
    openAnother: () => createSqlEventStore({ db }),
    async close() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

const postgres = await postgresReachable();
if (postgres) {
  eventStoreConformance('PostgreSQL', async () => {
    const schema = freshSchema('es');
    const dbs: Db[] = [];
    const open = async () => {
      const db = await openPostgresDb(POSTGRES_URL, schema);
      dbs.push(db);
      return createSqlEventStore({ db });
    };
    return {
      open,
      openAnother: open,
      async close() {
        for (const db of dbs) await db.close();
        await dropSchema(schema);
      },
    };
  });
}
