// Optimistic concurrency under real contention: two writers (own connections) load the same aggregate,
// both append at the version they loaded; exactly one must win every round, and the loser reloads and retries.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type Db, openPgliteDb, openPostgresDb } from 'eventkit/outbox';
import { describe, expect, it } from 'vitest';
import {
  createJetStreamEventStore,
  createRepository,
  createSqlEventStore,
  type EventStore,
  isConcurrencyError,
} from '../../src/eventstore/index.ts';
import { dropSchema, freshSchema, POSTGRES_URL, postgresReachable } from '../reference/postgres.ts';
import { startNatsServer } from '../support/nats-server.ts';
import { type Account, type AccountEvent, account } from './fixtures.ts';

const ROUNDS = Number(process.env.ES_ROUNDS ?? 1000);
const snapshots = {
  every: 8,
  encode: (s: Account) => new TextEncoder().encode(JSON.stringify(s)),
  decode: (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as Account,
};
const deposit = (amount: number): AccountEvent => ({
  type: 'bank.es.v2.Deposited',
  value: { amount, currency: 'EUR' },
});

async function race(label: string, a: EventStore, b: EventStore, rounds: number): Promise<void> {
  const writers = [
    createRepository(a, { ...account, snapshots }),
    createRepository(b, { ...account, snapshots }),
  ];
  const id = `race-${Date.now().toString(36)}`;
  let singleWinners = 0;
  let retriesLanded = 0;
  for (let round = 0; round < rounds; round++) {
    const loaded = await Promise.all(writers.map((w) => w.load(id)));
    expect(loaded[0]?.version).toBe(loaded[1]?.version);
    const results = await Promise.allSettled(
      writers.map((w, i) => w.append(id, [deposit(i + 1)], loaded[i]?.version ?? 0)),
    );
    const winners = results.filter((r) => r.status === 'fulfilled').length;
    const loserIndex = results.findIndex((r) => r.status === 'rejected');
    const loser = results[loserIndex];
    if (winners === 1 && loser?.status === 'rejected' && isConcurrencyError(loser.reason)) singleWinners++;
    // The loser reloads (seeing the winner's event) and decides again.
    const retried = await writers[loserIndex === -1 ? 0 : loserIndex]?.update(id, () => [deposit(10)]);
    if (retried && retried.conflicts === 0) retriesLanded++;
  }
  const final = await writers[0]?.load(id);
  console.log(`${label}: ${rounds} rounds, ${singleWinners} single winners, ${retriesLanded} retries landed`);
  expect(singleWinners).toBe(rounds);
  expect(retriesLanded).toBe(rounds);
  expect(final?.version).toBe(rounds * 2);
  expect(final?.state.deposits).toBe(rounds * 2);
}

describe('optimistic concurrency, two writers', () => {
  it(`JetStream: ${ROUNDS} rounds`, { timeout: 300_000 }, async () => {
    const server = await startNatsServer();
    const connections: NatsConnection[] = [];
    try {
      const stores = [];
      for (let i = 0; i < 2; i++) {
        const nc = await connect({ servers: server.url });
        connections.push(nc);
        stores.push(await createJetStreamEventStore({ connection: nc }));
      }
      await race('JetStream', stores[0] as EventStore, stores[1] as EventStore, ROUNDS);
    } finally {
      for (const nc of connections) await nc.close();
      await server.stop();
    }
  });

  it(`PostgreSQL: ${ROUNDS} rounds`, { timeout: 300_000 }, async (ctx) => {
    if (!(await postgresReachable())) ctx.skip();
    const schema = freshSchema('es_race');
    const dbs: Db[] = [];
    try {
      for (let i = 0; i < 2; i++) dbs.push(await openPostgresDb(POSTGRES_URL, { schema }));
      const stores = await Promise.all(dbs.map((db) => createSqlEventStore({ db })));
      await race('PostgreSQL', stores[0] as EventStore, stores[1] as EventStore, ROUNDS);
    } finally {
      for (const db of dbs) await db.close();
      await dropSchema(schema);
    }
  });

  it('PGlite (one connection, two stores): 100 rounds', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eventkit-es-race-'));
    const db = await openPgliteDb(dir);
    try {
      const store = await createSqlEventStore({ db });
      await race('PGlite', store, await createSqlEventStore({ db }), Math.min(ROUNDS, 100));
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
