// One reference service's real storage for contract tests: in-memory PGlite with the service's own
// migrations, a ServiceKit whose relay does nothing (messages stay in the outbox, which is what a provider
// verification reads), and `clear()` to start each interaction from empty tables without a new PGlite.
// Every world of a process shares ONE PGlite, each service in its own schema (as on PostgreSQL): starting
// PGlite is the expensive part of a verification run, a schema costs a few milliseconds.
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

/**
 * The process's PGlite, opened on first use and closed with the last world. Worlds take turns on it: each
 * operation first makes its schema the current one. Verification uses one provider at a time (reset,
 * states, command), and a consumer test file opens one world, so turns never interleave.
 */
const shared = { db: undefined as Promise<Db> | undefined, worlds: 0, schema: '' };

function schemaView(db: Db, schema: string): Db {
  const enter = async () => {
    if (shared.schema === schema) return;
    await db.exec(`SET search_path TO ${schema}`);
    shared.schema = schema;
  };
  return {
    dialect: db.dialect,
    location: `${schema}@${db.location}`,
    schema,
    async query(sql, params) {
      await enter();
      return db.query(sql, params);
    },
    async transaction(fn) {
      await enter();
      return db.transaction(fn);
    },
    async exec(sql) {
      await enter();
      await db.exec(sql);
    },
    async listen(channel, onNotify) {
      return db.listen(channel, onNotify);
    },
    close: async () => undefined,
  };
}

export async function openServiceWorld(service: string): Promise<ServiceWorld> {
  shared.db ??= openPgliteDb('memory://');
  shared.worlds++;
  const root = await shared.db;
  const schema = service.replace(/[^a-z0-9_]/g, '_');
  await root.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const db = schemaView(root, schema);
  await migrateOutbox(db);
  await migrate(db, path.join(referenceDir, service, 'migrations'));
  const { rows } = await db.query<{ tablename: string }>(
    'SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> ALL($1::text[])',
    [['schema_migrations', OUTBOX_MIGRATIONS_TABLE]],
  );
  const sequences = await db.query<{ sequencename: string }>(
    'SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()',
  );
  // DELETE, not TRUNCATE: TRUNCATE gives every table and index new files, which costs about half of a
  // verified interaction in WASM; these tables hold a handful of rows. Every table is emptied, so foreign
  // keys need no checking meanwhile (replica role); sequences restart as TRUNCATE … RESTART IDENTITY would.
  const emptyEverything = [
    'SET session_replication_role = replica;',
    ...rows.map((r) => `DELETE FROM "${r.tablename}";`),
    ...sequences.rows.map((r) => `SELECT setval('"${r.sequencename}"', 1, false);`),
    'SET session_replication_role = DEFAULT;',
  ].join(' ');
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
      await db.exec(emptyEverything);
    },
    async close() {
      shared.worlds--;
      if (shared.worlds > 0) return;
      const closing = shared.db;
      shared.db = undefined;
      shared.schema = '';
      await (await closing)?.close();
    },
  };
}
