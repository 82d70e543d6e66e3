// The event store and the outbox in one transaction: a process that dies after the commit but before the
// relay published loses nothing (the next relay publishes it, once); a handler that fails after appending
// leaves neither the events nor the outbox rows behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlEventStore } from '../../src/eventstore/index.ts';
import {
  createUnitOfWork,
  type Db,
  migrateOutbox,
  openPgliteDb,
  startOutboxRelay,
} from '../../src/outbox/index.ts';
import type { OutboundMessage } from '../../src/runtime/api.ts';
import { type NatsServer, startNatsServer } from '../support/nats-server.ts';

let server: NatsServer;
let nc: NatsConnection;
const dirs: string[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  await (await jetstreamManager(nc)).streams.add({ name: 'ORDERS_TEST', subjects: ['test.orders.>'] });
});
afterAll(async () => {
  await nc?.close();
  await server?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function openDb(dir: string): Promise<Db> {
  const db = await openPgliteDb(dir);
  await migrateOutbox(db);
  return db;
}

const integrationEvent = (orderId: string): OutboundMessage => ({
  id: `evt-${orderId}`,
  type: 'orders.v1.OrderPlaced',
  subject: `test.orders.${orderId}`,
  headers: { 'ce-id': `evt-${orderId}`, 'ce-type': 'orders.v1.OrderPlaced' },
  data: new TextEncoder().encode(orderId),
});

const send = async (m: OutboundMessage) => {
  const h = natsHeaders();
  for (const [k, v] of Object.entries(m.headers)) h.set(k, v);
  const ack = await jetstream(nc).publish(m.subject, m.data, { msgID: m.id, headers: h });
  return { id: m.id, subject: m.subject, stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
};

const storedCount = async () =>
  (await (await jetstreamManager(nc)).streams.info('ORDERS_TEST')).state.messages;

describe('event store + outbox, crashes', () => {
  it('a crash after the commit and before the relay loses nothing; the integration event is published once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eventkit-es-crash-'));
    dirs.push(dir);
    const before = await storedCount();
    let db = await openDb(dir);
    const store = await createSqlEventStore({ db });
    await createUnitOfWork(db).commit(async (tx) => {
      await store
        .within(tx)
        .append('Order', 'ord_c1', [{ type: 'orders.es.v1.OrderPlaced', data: new Uint8Array([1]) }], {
          expectedVersion: 0,
        });
      return { result: undefined, messages: [integrationEvent('ord_c1')] };
    });
    // The process dies here: no relay ever ran.
    await db.close();
    expect(await storedCount()).toBe(before);

    db = await openDb(dir);
    const reopened = await createSqlEventStore({ db });
    expect((await reopened.load('Order', 'ord_c1')).version).toBe(1);
    const relay = startOutboxRelay(db, send, { pollMs: 50, listen: false });
    await expect.poll(storedCount, { timeout: 20_000 }).toBe(before + 1);
    // A second relay (e.g. after another restart) finds nothing left, and a re-publish would be a duplicate.
    await relay.stop();
    const again = startOutboxRelay(db, send, { pollMs: 50, listen: false });
    expect(await again.relayOnce()).toBe(0);
    await again.stop();
    expect(await storedCount()).toBe(before + 1);
    await db.close();
  });

  it('a failure after appending, inside the transaction, leaves neither events nor outbox rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eventkit-es-fail-'));
    dirs.push(dir);
    const db = await openDb(dir);
    const store = await createSqlEventStore({ db });
    await expect(
      createUnitOfWork(db).commit(async (tx) => {
        await store
          .within(tx)
          .append('Order', 'ord_f1', [{ type: 'orders.es.v1.OrderPlaced', data: new Uint8Array([1]) }], {
            expectedVersion: 0,
          });
        throw new Error('the decision failed after the append');
      }),
    ).rejects.toThrow(/decision failed/);
    expect((await store.load('Order', 'ord_f1')).version).toBe(0);
    expect((await db.query<{ n: string }>('SELECT count(*)::text AS n FROM outbox')).rows[0]?.n).toBe('0');
    await db.close();
  });
});
