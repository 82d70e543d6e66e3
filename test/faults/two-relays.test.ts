// Fault 6: two outbox relays (two processes) drain one outbox on PostgreSQL at the same time.
// FOR UPDATE SKIP LOCKED hands each row to one relay: every event is published exactly once.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { addToOutbox, migrateOutbox, openPostgresDb } from 'eventkit/outbox';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/model/index.ts';
import { ordersEnvelopes } from '../../src/reference/orders/generated/index.ts';
import { provisionFromRegistry } from '../../src/reference/system/provision.ts';
import { jetstreamTransport } from '../../src/runtime/index.ts';
import { dropSchema, freshSchema, POSTGRES_URL, postgresReachable } from '../reference/postgres.ts';
import { startNatsServer } from '../support/nats-server.ts';

const reachable = await postgresReachable();
if (!reachable) process.stderr.write('two-relays: skipped, PostgreSQL is not reachable on 127.0.0.1:5432\n');
const schema = freshSchema('relays');
const EVENTS = 2000;

function runRelay(natsUrl: string): Promise<{ published: number; failedRounds: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=eventkit-source',
        '--import',
        'tsx',
        join(import.meta.dirname, 'fixtures', 'relay-process.ts'),
        natsUrl,
        POSTGRES_URL,
        schema,
        '50',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1) as string))
        : reject(new Error(`relay exited ${code}: ${err}`)),
    );
  });
}

afterAll(async () => {
  if (reachable) await dropSchema(schema);
});

describe.skipIf(!reachable)('fault: two outbox relays on PostgreSQL at once', () => {
  it('publish every event exactly once', { timeout: 180_000 }, async () => {
    const server = await startNatsServer();
    const transport = jetstreamTransport({ servers: server.url });
    const db = await openPostgresDb(POSTGRES_URL, { schema });
    try {
      await provisionFromRegistry(
        (await loadProject(join(import.meta.dirname, '..', '..'))).registry,
        await transport.connection(),
      );
      await migrateOutbox(db);
      for (let start = 0; start < EVENTS; start += 250)
        await db.transaction((tx) =>
          addToOutbox(
            tx,
            Array.from({ length: Math.min(250, EVENTS - start) }, (_, i) =>
              ordersEnvelopes.publishOrderPlaced({
                orderId: `ord_${start + i}`,
                customerId: 'cus_1',
                items: [{ productId: 'prd_1', storeId: 'sto_1', quantity: 1 }],
                total: { currencyCode: 'EUR', amountMinor: 100 },
                paymentMethodId: 'pm_1',
              }),
            ),
          ),
        );
      const [a, b] = await Promise.all([runRelay(server.url), runRelay(server.url)]);
      process.stdout.write(
        `[fault:two-relays] events ${EVENTS}; relay A published ${a.published}, relay B ${b.published}\n`,
      );
      expect(a.published + b.published).toBe(EVENTS);
      // Both took part: the rows were shared, not drained by one while the other waited.
      expect(a.published).toBeGreaterThan(0);
      expect(b.published).toBeGreaterThan(0);
      const jsm = await jetstreamManager(await transport.connection());
      const info = await jsm.streams.info('ORDERS', { subjects_filter: '>' });
      expect(info.state.messages).toBe(EVENTS);
      expect(Object.values(info.state.subjects ?? {}).filter((n) => n !== 1)).toEqual([]);
      const { rows } = await db.query<{ published: number; dup: number }>(
        'SELECT count(*) FILTER (WHERE published_at IS NOT NULL)::int AS published, count(*) FILTER (WHERE duplicate)::int AS dup FROM outbox',
      );
      expect(rows[0]).toEqual({ published: EVENTS, dup: 0 });
    } finally {
      await db.close();
      await transport.close();
      await server.stop();
    }
  });
});
