// The messaging kernel (eventkit/outbox) as a user's service meets it, on PGlite and, when reachable, on
// PostgreSQL: migrations applied by one call, transactions, the idempotent inbox, the unit of work, and
// the relay publishing to a real nats-server — woken on commit (relays here poll once an hour, so a
// published row proves the wake-up), in process and through LISTEN/NOTIFY.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import {
  addToOutbox,
  createUnitOfWork,
  type Db,
  handleOnce,
  inboxStats,
  migrate,
  migrateOutbox,
  type OutboxRelay,
  openPgliteDb,
  openPostgresDb,
  startOutboxRelay,
} from 'eventkit/outbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/runtime/api.ts';
import { currentEventScope, runInEventScope } from '../../src/runtime/context.ts';
import { createPublisher, jetstreamTransport } from '../../src/runtime/index.ts';
import { dropSchema, freshSchema, POSTGRES_URL, postgresReachable } from '../reference/postgres.ts';
import { type NatsServer, startNatsServer } from '../support/nats-server.ts';

const ordersMigrations = join(import.meta.dirname, '../../src/reference/orders/migrations');
const pgUp = await postgresReachable();
if (!pgUp)
  process.stderr.write('outbox kernel: PostgreSQL variants skipped, 127.0.0.1:5432 is not reachable\n');
const schemas: string[] = [];
const HOUR = 3_600_000;
const tmpDir = mkdtempSync(join(tmpdir(), 'eventkit-outbox-test-'));

let server: NatsServer;
let transport: ReturnType<typeof jetstreamTransport>;
beforeAll(async () => {
  server = await startNatsServer();
  transport = jetstreamTransport({ servers: server.url, name: 'outbox-kernel-test' });
  const jsm = await jetstreamManager(await transport.connection());
  await jsm.streams.add({ name: 'KERNEL', subjects: ['kernel.>'] });
});

afterAll(async () => {
  await transport?.close();
  await server?.stop();
  for (const schema of schemas) await dropSchema(schema);
  rmSync(tmpDir, { recursive: true, force: true });
});

type Variant = [string, () => Promise<Db>, (db: Db) => Promise<Db>];
const variants: Variant[] = [
  // PGlite has one connection: "another writer" is the same database object.
  // A fresh data directory starts as a copy of a blank one (initdb in WASM for memory:// takes seconds).
  ['pglite', () => openPgliteDb(mkdtempSync(join(tmpDir, 'db-'))), async (db) => db],
];
if (pgUp)
  variants.push([
    'postgres',
    () => {
      const schema = freshSchema('kernel');
      schemas.push(schema);
      return openPostgresDb(POSTGRES_URL, { schema });
    },
    // Another pool on the same schema, as another process would have.
    (db) => openPostgresDb(POSTGRES_URL, { schema: db.schema }),
  ]);

let counter = 0;
function message(subject = 'kernel.thing'): OutboundMessage {
  const id = `evt_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  return {
    id,
    subject: `${subject}.${id}`,
    type: 'kernel.v1.Thing',
    headers: { 'ce-id': id, 'ce-type': 'kernel.v1.Thing', 'content-type': 'application/octet-stream' },
    data: new TextEncoder().encode(id),
  };
}

async function onStream(subjectPrefix: string): Promise<Record<string, number>> {
  const jsm = await jetstreamManager(await transport.connection());
  const info = await jsm.streams.info('KERNEL', { subjects_filter: `${subjectPrefix}.>` });
  return info.state.subjects ?? {};
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function relayOn(db: Db, options: Parameters<typeof startOutboxRelay>[2] = {}): OutboxRelay {
  const publisher = createPublisher({ transport, source: 'kernel-test' });
  return startOutboxRelay(db, (m) => publisher.publishEnvelope(m), { pollMs: HOUR, ...options });
}

describe.each(variants)('eventkit/outbox on %s', (name, open, openAnother) => {
  it('applies the kernel migrations and a service’s own ones by one call each, once', async () => {
    const db = await open();
    try {
      expect(await migrateOutbox(db)).toEqual([1, 2, 3]);
      expect(await migrateOutbox(db)).toEqual([]);
      // A service's migrations are tracked in their own table, apart from the kernel's.
      expect(await migrate(db, ordersMigrations)).toEqual([2]);
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
      await migrateOutbox(db);
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

  it('unit of work: state + outbox in one transaction, relay woken in process, effect once per message', async () => {
    const db = await open();
    await migrateOutbox(db);
    await db.exec('CREATE TABLE things (id text PRIMARY KEY, n integer NOT NULL)');
    const relay = relayOn(db, { listen: false });
    const commits: string[] = [];
    const work = createUnitOfWork(db, {
      relay,
      onCommit: (c) => commits.push(`${c.consumer ?? '-'}:${c.messages}`),
    });
    try {
      const sent = message(`kernel.uow-${name}`);
      const result = await work.commit(async (tx) => {
        await tx.query("INSERT INTO things (id, n) VALUES ('a', 1)");
        return { result: 'stored', messages: [sent] };
      });
      expect(result).toBe('stored');
      await until(
        async () => (await onStream(`kernel.uow-${name}`))[sent.subject] === 1,
        'the committed message',
      );
      // A failed state change leaves no outbox row behind.
      await expect(
        work.commit(async (tx) => {
          await tx.query("INSERT INTO things (id, n) VALUES ('a', 2)");
          return { result: undefined, messages: [message(`kernel.uow-${name}`)] };
        }),
      ).rejects.toThrow();
      const consumed = { id: 'evt_in_1', type: 'kernel.v1.Thing', deliveryCount: 1 };
      const bump = async (tx: { query: Db['query'] }) => {
        await tx.query("UPDATE things SET n = n + 1 WHERE id = 'a'");
        return [message(`kernel.uow-${name}`)];
      };
      expect(await work.handleOnce('kernel-consumer', consumed, bump)).toBe('applied');
      expect(await work.handleOnce('kernel-consumer', { ...consumed, deliveryCount: 2 }, bump)).toBe(
        'duplicate',
      );
      expect((await db.query<{ n: number }>('SELECT n FROM things')).rows).toEqual([{ n: 2 }]);
      expect(commits).toEqual(['-:1', 'kernel-consumer:1']);
      await until(
        async () => Object.keys(await onStream(`kernel.uow-${name}`)).length === 2,
        'the handler’s message',
      );
      // Marked after the PubAck (on PostgreSQL in the round's transaction, committed just after the publish).
      await until(
        async () =>
          (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))
            .rows[0]?.n === 0,
        'the rows to be marked published',
      );
    } finally {
      await relay.stop();
      await db.close();
    }
  });

  it('group commit: concurrent units share transactions; a failing one fails alone, the others commit once', async () => {
    const db = await open();
    await migrateOutbox(db);
    await db.exec('CREATE TABLE hits (message_id text PRIMARY KEY)');
    const committed: string[] = [];
    const work = createUnitOfWork(db, { onCommit: (c) => committed.push(c.consumer ?? '-') });
    try {
      const handle = (i: number) =>
        work.handleOnce('group', { id: `m${i}`, type: 't', deliveryCount: 1 }, async (tx) => {
          if (i === 7) throw new Error('bad message 7');
          await tx.query('INSERT INTO hits (message_id) VALUES ($1)', [`m${i}`]);
          return [];
        });
      const outcomes = await Promise.allSettled([
        ...Array.from({ length: 40 }, (_, i) => handle(i)),
        handle(3),
      ]);
      expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String(o.reason))).toEqual([
        'Error: bad message 7',
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled' && o.value === 'duplicate')).toHaveLength(1);
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM hits');
      expect(rows[0]?.n).toBe(39);
      expect(committed).toHaveLength(39);
      expect(await inboxStats(db)).toEqual({ received: 39, duplicates: 1, redeliveries: 0 });
    } finally {
      await db.close();
    }
  });

  it('group commit: each unit runs in its own caller’s event scope (causation, correlation, trace)', async () => {
    const db = await open();
    await migrateOutbox(db);
    const work = createUnitOfWork(db);
    try {
      const seen: string[] = [];
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          runInEventScope({ eventId: `cause${i}`, correlationId: `corr${i}` }, () =>
            work.handleOnce('scoped', { id: `s${i}`, type: 't', deliveryCount: 1 }, async () => {
              const scope = currentEventScope();
              seen.push(`s${i}:${scope?.eventId}:${scope?.correlationId}`);
              return [];
            }),
          ),
        ),
      );
      expect(seen.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `s${i}:cause${i}:corr${i}`).sort());
    } finally {
      await db.close();
    }
  });

  it('relay is woken by LISTEN/NOTIFY when another writer commits outbox rows', async () => {
    const db = await open();
    await migrateOutbox(db);
    const relay = relayOn(db);
    const writer = await openAnother(db);
    try {
      expect(await relay.listening).toBe(true);
      await until(async () => relay.stats.rounds > 0, 'the first round');
      const sent = [message(`kernel.notify-${name}`), message(`kernel.notify-${name}`)];
      // Rolled back: never published.
      const dropped = message(`kernel.notify-${name}`);
      await expect(
        writer.transaction(async (tx) => {
          await addToOutbox(tx, [dropped]);
          throw new Error('rollback');
        }),
      ).rejects.toThrow('rollback');
      await writer.transaction((tx) => addToOutbox(tx, sent));
      await until(
        async () => Object.keys(await onStream(`kernel.notify-${name}`)).length >= 2,
        'the notified rows',
      );
      const subjects = await onStream(`kernel.notify-${name}`);
      expect(subjects).toEqual({
        [(sent[0] as OutboundMessage).subject]: 1,
        [(sent[1] as OutboundMessage).subject]: 1,
      });
    } finally {
      await relay.stop();
      if (writer !== db) await writer.close();
      await db.close();
    }
  });
});

describe.skipIf(!pgUp)('eventkit/outbox relays on PostgreSQL', () => {
  it('several relays with several rounds in flight publish each row once (FOR UPDATE SKIP LOCKED)', async () => {
    const schema = freshSchema('kernel_relays');
    schemas.push(schema);
    const db = await openPostgresDb(POSTGRES_URL, { schema });
    await migrateOutbox(db);
    const others = [
      await openPostgresDb(POSTGRES_URL, { schema }),
      await openPostgresDb(POSTGRES_URL, { schema }),
    ];
    const relays = others.map((o) => relayOn(o, { batchSize: 25, window: 4 }));
    try {
      await Promise.all(relays.map((r) => r.listening));
      const rows = Array.from({ length: 600 }, () => message('kernel.many'));
      for (let i = 0; i < rows.length; i += 100)
        await db.transaction((tx) => addToOutbox(tx, rows.slice(i, i + 100)));
      await until(
        async () =>
          Number(
            (
              await db.query<{ n: string }>(
                'SELECT count(*)::text AS n FROM outbox WHERE published_at IS NULL',
              )
            ).rows[0]?.n,
          ) === 0,
        'the outbox to drain',
      );
      const subjects = await onStream('kernel.many');
      expect(Object.keys(subjects).length).toBe(600);
      expect(Object.values(subjects).filter((n) => n !== 1)).toEqual([]);
      const published = relays.map((r) => r.stats.published);
      expect((published[0] ?? 0) + (published[1] ?? 0)).toBe(600);
      const dup = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE duplicate');
      expect(dup.rows[0]?.n).toBe(0);
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
      await Promise.all(others.map((o) => o.close()));
      await db.close();
    }
  });
});
