import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Db, migrate, openPgliteDb, openPostgresDb } from '../../src/reference/db/index.ts';
import { handleOnce, inboxStats } from '../../src/reference/platform/inbox.ts';
import { dropSchema, freshSchema, POSTGRES_URL, postgresReachable } from './postgres.ts';

const ordersMigrations = join(import.meta.dirname, '../../src/reference/orders/migrations');
const pgUp = await postgresReachable();
const schemas: string[] = [];

afterAll(async () => {
  for (const schema of schemas) await dropSchema(schema);
});

async function openBoth(): Promise<Array<[string, () => Promise<Db>]>> {
  const variants: Array<[string, () => Promise<Db>]> = [['pglite', () => openPgliteDb('memory://')]];
  if (pgUp)
    variants.push([
      'postgres',
      () => {
        const schema = freshSchema('dbtest');
        schemas.push(schema);
        return openPostgresDb(POSTGRES_URL, schema);
      },
    ]);
  return variants;
}

describe.each(await openBoth())('Db on %s', (_name, open) => {
  it('applies numbered migrations once and rolls back a failed transaction', async () => {
    const db = await open();
    try {
      expect(await migrate(db, ordersMigrations)).toEqual([1, 2]);
      expect(await migrate(db, ordersMigrations)).toEqual([]);
      await expect(
        db.transaction(async (tx) => {
          await tx.query("INSERT INTO delivery_stats (consumer) VALUES ('x')");
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect((await db.query('SELECT * FROM delivery_stats')).rows).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('inbox applies an effect once per message id and counts the duplicate', async () => {
    const db = await open();
    try {
      await migrate(db, ordersMigrations);
      const effect = async (tx: Parameters<Parameters<Db['transaction']>[0]>[0]) => {
        await tx.query(
          "INSERT INTO delivery_stats (consumer, redeliveries) VALUES ('effect', 0) ON CONFLICT (consumer) DO UPDATE SET redeliveries = delivery_stats.redeliveries + 100",
        );
      };
      const event = { id: 'evt_1', type: 't', deliveryCount: 1 };
      expect(await handleOnce(db, 'c', event, effect)).toBe('applied');
      expect(await handleOnce(db, 'c', { ...event, deliveryCount: 2 }, effect)).toBe('duplicate');
      const rows = (
        await db.query<{ redeliveries: number }>(
          "SELECT redeliveries FROM delivery_stats WHERE consumer = 'effect'",
        )
      ).rows;
      expect(rows).toEqual([{ redeliveries: 0 }]);
      expect(await inboxStats(db)).toEqual({ received: 1, duplicates: 1, redeliveries: 1 });
    } finally {
      await db.close();
    }
  });
});
