// One reference service's real storage for contract tests: in-memory PGlite with the service's own
// migrations, a ServiceKit whose relay does nothing (messages stay in the outbox, which is what a provider
// verification reads), and `clear()` to start each interaction from empty tables without a new PGlite.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Db, migrate, migrateOutbox, OUTBOX_MIGRATIONS_TABLE, openPgliteDb } from 'eventkit/outbox';
import { type ServiceKit, serviceKit } from '../../../src/reference/platform/index.ts';
import type { OutboundMessage } from '../../../src/runtime/api.ts';

const referenceDir = fileURLToPath(new URL('../../../src/reference/', import.meta.url));

export interface ServiceWorld {
  readonly kit: ServiceKit;
  readonly db: Db;
  /** What the relay would publish, oldest first. */
  outbox(): Promise<OutboundMessage[]>;
  /** Empties every table of the service (keeps the schema). */
  clear(): Promise<void>;
  close(): Promise<void>;
}

export async function openServiceWorld(service: string): Promise<ServiceWorld> {
  const db = await openPgliteDb('memory://');
  await migrateOutbox(db);
  await migrate(db, path.join(referenceDir, service, 'migrations'));
  const { rows } = await db.query<{ tablename: string }>(
    'SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> ALL($1::text[])',
    [['schema_migrations', OUTBOX_MIGRATIONS_TABLE]],
  );
  const tables = rows.map((r) => `"${r.tablename}"`);
  // No relay: the messages stay in the outbox, where a provider verification reads them.
  const kit: ServiceKit = serviceKit(service, db);
  return {
    kit,
    db,
    async outbox() {
      const result = await db.query<{
        id: string;
        subject: string;
        type: string;
        headers: Record<string, string> | string;
        data: Uint8Array;
      }>('SELECT id, subject, type, headers, data FROM outbox ORDER BY seq');
      return result.rows.map((r) => ({
        id: r.id,
        subject: r.subject,
        type: r.type,
        headers:
          typeof r.headers === 'string' ? (JSON.parse(r.headers) as Record<string, string>) : r.headers,
        data: r.data,
      }));
    },
    async clear() {
      if (tables.length > 0) await db.exec(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY`);
    },
    close: () => db.close(),
  };
}
