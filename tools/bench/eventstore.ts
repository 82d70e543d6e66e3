// `npm run bench` (event store): appends/s and loads/s of eventkit/eventstore beside the raw operation each
// backend is built on, measured in the same run: JetStream publish (awaited, same concurrency, same bytes)
// and a plain INSERT / SELECT on the same database. Plus the replay of one 10,000-event aggregate beside a
// raw ordered consumer reading the same messages. Median of `--runs` runs, sides interleaved.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { type Db, openPgliteDb, openPostgresDb } from 'eventkit/outbox';
import {
  createJetStreamEventStore,
  createSqlEventStore,
  type EventStore,
  type NewEvent,
} from '../../src/eventstore/index.ts';
import { startNatsServer } from '../../src/runtime/nats-server.ts';
import { POSTGRES_URL, postgresReachable } from '../../test/reference/postgres.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const appends = flag('appends', 3_000);
const concurrency = flag('concurrency', 32);
const replayEvents = flag('replay', 10_000);
const runs = flag('runs', 3);
const json = args.includes('--json');
/** Our own goals (the issue asks for the figures, not a ratio): an append or load costs at most ~2× the raw op. */
const GOAL = 0.5;

const payload = new Uint8Array(120).fill(7);
const event = (i: number): NewEvent => ({
  type: 'bench.es.v1.Ticked',
  data: payload,
  metadata: { i: String(i) },
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);

/** `count` jobs, `limit` at a time; each lane works on its own aggregate (appends are per aggregate). */
async function lanes(
  count: number,
  limit: number,
  job: (lane: number, i: number) => Promise<unknown>,
): Promise<number> {
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async (_, lane) => {
      for (let i = next++; i < count; i = next++) await job(lane, i);
    }),
  );
  return performance.now() - start;
}

interface Row {
  readonly scenario: string;
  readonly ours: number;
  readonly peer: number;
  readonly peerName: string;
  readonly unit: string;
}
const rows: Row[] = [];

async function appendAndLoad(
  label: string,
  open: () => Promise<EventStore>,
  rawAppend: (lane: number, i: number, run: number) => Promise<unknown>,
  rawLoad: (lane: number, run: number) => Promise<unknown>,
  peerName: string,
) {
  const store = await open();
  const ours: number[] = [];
  const peer: number[] = [];
  const oursLoad: number[] = [];
  const peerLoad: number[] = [];
  for (let run = 0; run < runs; run++) {
    const versions = new Map<number, number>();
    const prefix = `r${run}x${Date.now().toString(36)}`;
    const measureOurs = async () => {
      const ms = await lanes(appends, concurrency, async (lane) => {
        const v = versions.get(lane) ?? 0;
        await store.append('Bench', `${prefix}-${lane}`, [event(v)], { expectedVersion: v });
        versions.set(lane, v + 1);
      });
      ours.push(perSecond(appends, ms));
    };
    const measurePeer = async () =>
      peer.push(perSecond(appends, await lanes(appends, concurrency, (lane, i) => rawAppend(lane, i, run))));
    if (run % 2 === 0) {
      await measureOurs();
      await measurePeer();
    } else {
      await measurePeer();
      await measureOurs();
    }
    // Loads: every lane's aggregate holds appends/concurrency events.
    const loads = concurrency * 4;
    const loadOurs = async () =>
      oursLoad.push(
        perSecond(
          loads,
          await lanes(loads, 8, (_, i) => store.load('Bench', `${prefix}-${i % concurrency}`)),
        ),
      );
    const loadPeer = async () =>
      peerLoad.push(perSecond(loads, await lanes(loads, 8, (_, i) => rawLoad(i % concurrency, run))));
    if (run % 2 === 0) {
      await loadOurs();
      await loadPeer();
    } else {
      await loadPeer();
      await loadOurs();
    }
  }
  rows.push({
    scenario: `${label} append (1 event, expected version)`,
    ours: median(ours),
    peer: median(peer),
    peerName,
    unit: 'appends/s',
  });
  rows.push({
    scenario: `${label} load (~${Math.round(appends / concurrency)} events)`,
    ours: median(oursLoad),
    peer: median(peerLoad),
    peerName: peerName.replace('publish', 'read').replace('INSERT', 'SELECT'),
    unit: 'loads/s',
  });
  await store.close();
}

// ---- JetStream
const server = await startNatsServer();
const nc = await connect({ servers: server.url });
const js = jetstream(nc);
const jsm = await jetstreamManager(nc);
await jsm.streams.add({ name: 'RAW_BENCH', subjects: ['raw.>'], allow_direct: true });
await appendAndLoad(
  'JetStream',
  () => createJetStreamEventStore({ connection: nc }),
  (lane, _i, run) => js.publish(`raw.r${run}.${lane}`, payload),
  async (lane, run) => {
    // Raw read of one subject: what a hand-written loader does (ordered consumer to the last message).
    const last = await jsm.direct.getMessage('RAW_BENCH', { last_by_subj: `raw.r${run}.${lane}` });
    const c = await js.consumers.get('RAW_BENCH', {
      filter_subjects: `raw.r${run}.${lane}`,
      deliver_policy: DeliverPolicy.All,
    });
    const it = await c.consume({ max_messages: 1024 });
    for await (const m of it) if (m.seq >= (last?.seq ?? 0)) break;
    await it.close();
  },
  'js.publish / ordered consumer',
);

// Replay of one long aggregate.
{
  const store = await createJetStreamEventStore({ connection: nc });
  const id = `long-${Date.now().toString(36)}`;
  for (let v = 0; v < replayEvents; v += 100)
    await store.append(
      'Replay',
      id,
      Array.from({ length: 100 }, (_, i) => event(v + i)),
      { expectedVersion: v },
    );
  // Raw peer: the same number of plain messages on one subject, read by an ordered consumer.
  await jsm.streams.add({ name: 'RAW_REPLAY', subjects: ['rawreplay.>'] });
  await lanes(replayEvents, 64, (_, i) => js.publish('rawreplay.one', payload, { msgID: `m${i}` }));
  const ours: number[] = [];
  const peer: number[] = [];
  for (let run = 0; run < runs; run++) {
    let t = performance.now();
    const loaded = await store.load('Replay', id, { useSnapshot: false });
    if (loaded.events.length !== replayEvents)
      throw new Error(`replayed ${loaded.events.length} of ${replayEvents}`);
    ours.push(perSecond(replayEvents, performance.now() - t));
    t = performance.now();
    const c = await js.consumers.get('RAW_REPLAY', { filter_subjects: 'rawreplay.one' });
    const it = await c.consume({ max_messages: 1024 });
    let n = 0;
    for await (const _ of it) if (++n >= replayEvents) break;
    await it.close();
    peer.push(perSecond(replayEvents, performance.now() - t));
  }
  rows.push({
    scenario: `JetStream replay of one ${replayEvents}-event aggregate`,
    ours: median(ours),
    peer: median(peer),
    peerName: 'ordered consumer, 1 event per msg',
    unit: 'events/s',
  });
}
await nc.close();
await server.stop();

// ---- SQL
async function sqlBench(label: string, db: Db) {
  await db.exec(
    'CREATE TABLE IF NOT EXISTS raw_bench (id text, version int, data bytea, PRIMARY KEY (id, version))',
  );
  await appendAndLoad(
    label,
    () => createSqlEventStore({ db }),
    (lane, i, run) =>
      db.query('INSERT INTO raw_bench (id, version, data) VALUES ($1, $2, $3)', [
        `r${run}-${lane}`,
        i,
        payload,
      ]),
    (lane, run) =>
      db.query('SELECT version, data FROM raw_bench WHERE id = $1 ORDER BY version', [`r${run}-${lane}`]),
    'plain INSERT / SELECT',
  );
}
{
  const dir = mkdtempSync(join(os.tmpdir(), 'eventkit-es-bench-'));
  const db = await openPgliteDb(dir);
  await sqlBench('PGlite', db);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
if (await postgresReachable()) {
  const schema = `es_bench_${process.pid}`;
  const db = await openPostgresDb(POSTGRES_URL, { schema, poolSize: 10 });
  await sqlBench('PostgreSQL', db);
  await db.exec(`DROP SCHEMA ${schema} CASCADE`);
  await db.close();
}

const table = rows.map((r) => ({
  ...r,
  ratio: Number((r.ours / r.peer).toFixed(2)),
  pass: r.ours / r.peer >= GOAL,
}));
if (json) {
  console.log(
    JSON.stringify(
      { benchmark: 'eventstore', appends, concurrency, runs, replayEvents, rows: table },
      null,
      2,
    ),
  );
} else {
  const header = ['scenario', 'ours', 'peer', 'peer is', 'ratio', 'goal', ''];
  const lines = [
    header,
    ...table.map((r) => [
      r.scenario,
      `${r.ours} ${r.unit}`,
      `${r.peer} ${r.unit}`,
      r.peerName,
      r.ratio.toFixed(2),
      `≥ ${GOAL}`,
      r.pass ? 'ok' : 'BELOW GOAL',
    ]),
  ];
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  for (const l of lines)
    console.log(
      l
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  console.log(
    `\n${appends} appends over ${concurrency} aggregates per run, median of ${runs} runs; load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cpus`,
  );
}
process.exitCode = table.every((r) => r.pass) ? 0 : 1;
