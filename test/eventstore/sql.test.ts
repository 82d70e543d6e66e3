import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, openPgliteDb, openPostgresDb } from 'eventkit/outbox';
import { describe, expect, it } from 'vitest';
import { createSqlEventStore } from '../../src/eventstore/index.ts';
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
      const db = await openPostgresDb(POSTGRES_URL, { schema });
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

describe.runIf(postgres)('PostgreSQL: readers never skip a commit that was still open', () => {
  it('a later transaction that commits first is held back until the earlier one settles', async () => {
    const schema = freshSchema('es_open');
    const writerDb = await openPostgresDb(POSTGRES_URL, { schema });
    const readerDb = await openPostgresDb(POSTGRES_URL, { schema });
    try {
      const writer = await createSqlEventStore({ db: writerDb });
      const reader = await createSqlEventStore({ db: readerDb });
      const event = { type: 't.v1.E', data: new Uint8Array([1]) };
      let releaseSlow: () => void = () => {};
      const slowHeld = new Promise<void>((r) => {
        releaseSlow = r;
      });
      let slowAppended: () => void = () => {};
      const slowReady = new Promise<void>((r) => {
        slowAppended = r;
      });
      // The slow transaction takes its position first and stays open.
      const slow = writerDb.transaction(async (tx) => {
        await writer.appendIn(tx, 'Order', 'slow', [event], { expectedVersion: 0 });
        slowAppended();
        await slowHeld;
      });
      await slowReady;
      const fast = await writer.append('Order', 'fast', [event], { expectedVersion: 0 });
      expect(await reader.read('Order', { after: 0 })).toEqual([]);
      releaseSlow();
      await slow;
      const settled = await reader.read('Order', { after: 0 });
      expect(settled.map((e) => e.aggregateId)).toEqual(['slow', 'fast']);
      expect(settled.at(-1)?.position).toBe(fast.position);
    } finally {
      await writerDb.close();
      await readerDb.close();
      await dropSchema(schema);
    }
  });
});

describe("SQL: the store inside the caller's transaction", () => {
  it('appends commit with the transaction and vanish with its rollback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eventkit-es-tx-'));
    const db = await openPgliteDb(dir);
    try {
      const store = await createSqlEventStore({ db });
      const event = { type: 't.v1.E', data: new Uint8Array([1]) };
      await db.exec('CREATE TABLE side_effects (id text PRIMARY KEY)');
      await db.transaction(async (tx) => {
        const bound = store.within(tx);
        await bound.append('Order', 'kept', [event], { expectedVersion: 0 });
        expect((await bound.load('Order', 'kept')).version).toBe(1);
        await tx.query("INSERT INTO side_effects VALUES ('kept')");
      });
      await expect(
        db.transaction(async (tx) => {
          await store.within(tx).append('Order', 'dropped', [event], { expectedVersion: 0 });
          await tx.query("INSERT INTO side_effects VALUES ('dropped')");
          throw new Error('the handler failed after appending');
        }),
      ).rejects.toThrow(/handler failed/);
      expect((await store.load('Order', 'kept')).version).toBe(1);
      expect((await store.load('Order', 'dropped')).version).toBe(0);
      expect((await db.query<{ id: string }>('SELECT id FROM side_effects')).rows.map((r) => r.id)).toEqual([
        'kept',
      ]);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
