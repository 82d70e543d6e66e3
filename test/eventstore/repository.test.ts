// Typed aggregates, upcasters, snapshots and projections — on PGlite and on JetStream with a PGlite read model.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type Db, openPgliteDb } from 'eventkit/outbox';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createJetStreamEventStore,
  createProjection,
  createRepository,
  createSqlEventStore,
  type EventStore,
  type Upcaster,
} from '../../src/eventstore/index.ts';
import { type NatsServer, startNatsServer } from '../support/nats-server.ts';
import { account, accountProtos } from './fixtures.ts';

const root = protobuf.Root.fromJSON(accountProtos);
const V1Deposited = root.lookupType('bank.es.v1.Deposited');
const V2Deposited = root.lookupType('bank.es.v2.Deposited');
/** v1 stored cents only; v2 has an amount and a currency. */
const depositedV1toV2: Upcaster = {
  from: 'bank.es.v1.Deposited',
  to: 'bank.es.v2.Deposited',
  upcast(data) {
    const old = V1Deposited.toObject(V1Deposited.decode(data)) as { cents?: number };
    return V2Deposited.encode(V2Deposited.fromObject({ amount: old.cents ?? 0, currency: 'EUR' })).finish();
  },
};

let dir: string;
let db: Db;
let server: NatsServer;
let nc: NatsConnection;
const stores: [string, () => EventStore][] = [];
let sql: EventStore;
let jet: EventStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eventkit-es-repo-'));
  db = await openPgliteDb(dir);
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  sql = await createSqlEventStore({ db });
  jet = await createJetStreamEventStore({ connection: nc });
  stores.push(['PGlite', () => sql], ['JetStream', () => jet]);
});

afterAll(async () => {
  await nc?.close();
  await server?.stop();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const newId = () => `acc-${Date.now().toString(36)}-${++n}`;

describe.each(['PGlite', 'JetStream'])('aggregates on %s', (kind) => {
  const store = () => (stores.find(([k]) => k === kind)?.[1] ?? (() => sql))();

  it('folds protobuf events into state and appends decisions at the loaded version', async () => {
    const repo = createRepository(store(), account);
    const id = newId();
    await repo.update(id, () => [{ type: 'bank.es.v1.Opened', value: { owner: 'ada' } }]);
    const r = await repo.update(id, (s) => [
      { type: 'bank.es.v2.Deposited', value: { amount: s.balance + 250, currency: 'EUR' } },
    ]);
    expect(r.version).toBe(2);
    expect(r.conflicts).toBe(0);
    const loaded = await repo.load(id);
    expect(loaded).toEqual({ state: { owner: 'ada', balance: 250, deposits: 1 }, version: 2 });
  });

  it('a decision that produces nothing appends nothing', async () => {
    const repo = createRepository(store(), account);
    const id = newId();
    const r = await repo.update(id, () => []);
    expect(r.version).toBe(0);
    expect((await store().load('Account', id)).events).toEqual([]);
  });

  it('upcasts old event versions on load; an unknown type without an upcaster is a clear error', async () => {
    const id = newId();
    const raw = store();
    await raw.append(
      'Account',
      id,
      [{ type: 'bank.es.v1.Deposited', data: V1Deposited.encode({ cents: 700 }).finish() }],
      { expectedVersion: 0 },
    );
    const withUpcaster = createRepository(raw, { ...account, upcasters: [depositedV1toV2] });
    expect((await withUpcaster.load(id)).state).toEqual({ owner: '', balance: 700, deposits: 1 });
    const without = createRepository(raw, account);
    await expect(without.load(id)).rejects.toThrow(
      /event type bank.es.v1.Deposited is unknown; add it to the codec or an upcaster/,
    );
  });

  it('takes snapshots every N versions and loads from them', async () => {
    const snapshots = {
      every: 3,
      encode: (s: { owner: string; balance: number; deposits: number }) =>
        new TextEncoder().encode(JSON.stringify(s)),
      decode: (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)),
    };
    const repo = createRepository(store(), { ...account, snapshots });
    const id = newId();
    for (let i = 0; i < 7; i++)
      await repo.update(id, () => [{ type: 'bank.es.v2.Deposited', value: { amount: 10, currency: 'EUR' } }]);
    const raw = await store().load('Account', id);
    expect(raw.snapshot?.version).toBe(6);
    expect(raw.events.map((e) => e.version)).toEqual([7]);
    expect((await repo.load(id)).state).toEqual({ owner: '', balance: 70, deposits: 7 });
  });

  it('two writers deciding on the same version: the loser reloads and decides again', async () => {
    const repo = createRepository(store(), account);
    const id = newId();
    await repo.update(id, () => [{ type: 'bank.es.v1.Opened', value: { owner: 'bo' } }]);
    let calls = 0;
    const [a, b] = await Promise.all([
      repo.update(id, (s) => {
        calls++;
        return [
          { type: 'bank.es.v2.Deposited', value: { amount: s.deposits === 0 ? 1 : 2, currency: 'EUR' } },
        ];
      }),
      repo.update(id, (s) => {
        calls++;
        return [
          { type: 'bank.es.v2.Deposited', value: { amount: s.deposits === 0 ? 1 : 2, currency: 'EUR' } },
        ];
      }),
    ]);
    expect(a.conflicts + b.conflicts).toBe(1);
    expect(calls).toBe(3);
    // The loser decided on the winner's state: 1 + 2, never 1 + 1.
    expect((await repo.load(id)).state.balance).toBe(3);
  });
});

describe('projections', () => {
  it('catch up, follow live, skip what they already applied, and rebuild by replay', async () => {
    for (const [kind, get] of stores) {
      const store = get();
      const repo = createRepository(store, account);
      const table = `balances_${kind.toLowerCase()}`;
      await db.exec(
        `CREATE TABLE IF NOT EXISTS ${table} (id text PRIMARY KEY, balance bigint NOT NULL, applied int NOT NULL)`,
      );
      const before = await store.headPosition('Account');
      const ids = [newId(), newId()];
      for (const id of ids)
        await repo.update(id, () => [
          { type: 'bank.es.v1.Opened', value: { owner: id } },
          { type: 'bank.es.v2.Deposited', value: { amount: 5, currency: 'EUR' } },
        ]);
      let batches = 0;
      const projection = await createProjection({
        store,
        aggregateType: 'Account',
        name: `balances-${kind}`,
        db,
        pollMs: 20,
        async handle(tx, events) {
          batches++;
          for (const e of events) {
            if (e.position <= before) continue;
            const ev = repo.decode(e);
            const amount = ev.type === 'bank.es.v2.Deposited' ? ev.value.amount : 0;
            await tx.query(
              `INSERT INTO ${table} (id, balance, applied) VALUES ($1, $2, 1)
               ON CONFLICT (id) DO UPDATE SET balance = ${table}.balance + $2, applied = ${table}.applied + 1`,
              [e.aggregateId, amount],
            );
          }
        },
        reset: (tx) => tx.query(`DELETE FROM ${table}`).then(() => undefined),
      });
      const reached = await projection.catchUp();
      expect(reached).toBe(await store.headPosition('Account'));
      const balances = async () =>
        Object.fromEntries(
          (
            await db.query<{ id: string; balance: string | number; applied: number }>(
              `SELECT * FROM ${table}`,
            )
          ).rows
            .filter((r) => ids.includes(r.id))
            .map((r) => [r.id, [Number(r.balance), Number(r.applied)]]),
        );
      expect(await balances()).toEqual({ [ids[0] as string]: [5, 2], [ids[1] as string]: [5, 2] });
      // Catching up again applies nothing twice.
      const batchesBefore = batches;
      await projection.catchUp();
      expect(batches).toBe(batchesBefore);
      // Live: an append is picked up without calling catchUp.
      projection.start();
      await repo.update(ids[0] as string, () => [
        { type: 'bank.es.v2.Deposited', value: { amount: 10, currency: 'EUR' } },
      ]);
      projection.wake();
      await expect.poll(balances, { timeout: 10_000 }).toEqual({
        [ids[0] as string]: [15, 3],
        [ids[1] as string]: [5, 2],
      });
      await projection.stop();
      // Rebuild: empty and replay everything; same result.
      await projection.rebuild();
      expect(await balances()).toEqual({ [ids[0] as string]: [15, 3], [ids[1] as string]: [5, 2] });
    }
  });
});
