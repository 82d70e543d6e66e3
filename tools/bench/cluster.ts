// `npm run bench` (cluster): what replication costs. On one local 3-node cluster, typed publishes to an R3
// stream vs an R1 stream (same publisher, window and message), then the whole saga with R3 vs R1 streams
// (a fresh cluster each, services in one process). "ours" is R3, "peer" is R1; the ratio is R3 / R1.
// All three servers share this machine's cores, so R3 pays its replication in CPU here as well as in round
// trips: a real cluster (one server per machine) loses less.
// Usage: npx tsx tools/bench/cluster.ts [--messages N] [--orders N] [--runs R] [--json]
import os from 'node:os';
import { jetstreamManager } from '@nats-io/jetstream';
import { runSaga } from '../../src/reference/system/run-saga.ts';
import type { OutboundMessage } from '../../src/runtime/api.ts';
import { newEventId } from '../../src/runtime/ids.ts';
import { startNatsCluster } from '../../src/runtime/nats-cluster.ts';
import { createPublisher } from '../../src/runtime/publisher.ts';
import { jetstreamTransport } from '../../src/runtime/transports/jetstream.ts';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
const messages = flag('messages', 5_000);
const orders = flag('orders', 300);
const runs = flag('runs', 3);
const json = process.argv.includes('--json');

/** Goals: R3 keeps at least half of R1's publish rate and 70 % of its saga throughput on one machine. */
const GOALS = { publish: 0.5, saga: 0.7 };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function publishRates(): Promise<{ r3: number; r1: number }> {
  const cluster = await startNatsCluster({ size: 3 });
  const transport = jetstreamTransport({ servers: cluster.url, name: 'bench-cluster' });
  try {
    const jsm = await jetstreamManager(await transport.connection());
    for (const replicas of [1, 3])
      await jsm.streams.add({
        name: `BENCH_R${replicas}`,
        subjects: [`bench${replicas}.>`],
        num_replicas: replicas,
      });
    const publisher = createPublisher({ transport, source: 'bench', window: 256 });
    const data = new Uint8Array(200).fill(7);
    const once = async (replicas: number): Promise<number> => {
      const started = performance.now();
      const pending: Promise<unknown>[] = [];
      for (let i = 0; i < messages; i++) {
        const id = newEventId();
        const msg: OutboundMessage = {
          subject: `bench${replicas}.${i % 64}`,
          id,
          type: 'bench.v1.Probe',
          data,
          headers: { 'ce-id': id },
        };
        pending.push(publisher.publishEnvelope(msg));
        if (publisher.inFlight >= 256) await new Promise((r) => setImmediate(r));
      }
      await Promise.all(pending);
      return messages / ((performance.now() - started) / 1000);
    };
    await once(1); // warm-up: connection, JIT
    const r1: number[] = [];
    const r3: number[] = [];
    for (let run = 0; run < runs; run++) {
      r1.push(await once(1));
      r3.push(await once(3));
    }
    return { r3: median(r3), r1: median(r1) };
  } finally {
    await transport.close();
    await cluster.stop();
  }
}

async function sagaRate(replicas: number): Promise<number> {
  const cluster = await startNatsCluster({ size: 3 });
  try {
    const result = await runSaga({
      natsUrl: cluster.url,
      orders,
      processes: false,
      concurrency: 32,
      replicas,
    });
    if (result.invariants.violations.length > 0)
      throw new Error(`saga invariants violated at R${replicas}: ${result.invariants.violations.join('; ')}`);
    const f = result.figures;
    return (f.completed + f.cancelled) / (f.sagaWindowMs / 1000);
  } finally {
    await cluster.stop();
  }
}

const publish = await publishRates();
process.stderr.write(
  `publish: R3 ${publish.r3.toFixed(0)}/s, R1 ${publish.r1.toFixed(0)}/s; saga runs next\n`,
);
const saga = { r1: await sagaRate(1), r3: await sagaRate(3) };
const rows = [
  {
    scenario: `typed publish, ${messages} msgs, window 256`,
    ours: publish.r3,
    peer: publish.r1,
    unit: 'msg/s',
    goal: GOALS.publish,
  },
  {
    scenario: `saga, ${orders} orders (one process)`,
    ours: saga.r3,
    peer: saga.r1,
    unit: 'orders/s',
    goal: GOALS.saga,
  },
].map((r) => ({ ...r, ratio: r.ours / r.peer, pass: r.ours / r.peer >= r.goal }));

if (json) {
  console.log(JSON.stringify({ benchmark: 'cluster', messages, orders, runs, rows }, null, 2));
} else {
  const header = ['scenario (3-node cluster)', 'ours (R3)', 'peer (R1)', 'ratio', 'goal', ''];
  const lines = [
    header,
    ...rows.map((r) => [
      r.scenario,
      `${r.ours.toFixed(0)} ${r.unit}`,
      `${r.peer.toFixed(0)} ${r.unit}`,
      r.ratio.toFixed(2),
      `≥ ${r.goal}`,
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
    `\npublish: median of ${runs} runs each, R1 and R3 alternating; saga: one run each on a fresh cluster; ` +
      `load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cpus`,
  );
}
process.exitCode = rows.every((r) => r.pass) ? 0 : 1;
