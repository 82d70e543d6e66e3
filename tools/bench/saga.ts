// `npm run bench:saga`: the reference shop's checkout saga under load, beside the raw bound measured in the
// same run. For each database (PGlite; PostgreSQL when reachable) and mode (one process; one process per
// service with --processes), on a fresh nats-server each:
//   - raw: js.publish of CloudEvents-sized messages, pipelined (window 256) → raw JetStream publish rate;
//   - closed loop: --orders orders with --concurrency PlaceOrder requests in flight → the max rate;
//   - open loop: orders sent on schedule at --rate orders/s (default half the closed-loop max) for
//     --duration s; saga latency is measured from each order's scheduled time, so queueing counts.
// Saga latency = scheduled (open) or sent (closed) → OrderCompleted/OrderCancelled seen on the broker.
// Raw bound = raw publish rate ÷ events per order (measured); ratio = orders/s ÷ bound.
// Every run also checks the demo's invariants (0 lost, 0 effects applied twice); exit 1 if one fails.
import os from 'node:os';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { Command, InvalidArgumentError } from 'commander';
import { dropServiceSchemas, runSaga, type SagaRunResult } from '../../src/reference/system/index.ts';
import { startNatsServer } from '../../src/runtime/nats-server.ts';
import { dropSchema, POSTGRES_URL, postgresReachable } from '../../test/reference/postgres.ts';

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number above 0');
  return n;
}

const program = new Command('bench:saga')
  .description(
    'Saga throughput and latency of the reference shop, closed and open loop, beside the raw JetStream bound',
  )
  .option('--orders <n>', 'orders in the closed-loop (max throughput) run', positive, 2000)
  .option('--concurrency <n>', 'PlaceOrder requests in flight in the closed loop', positive, 64)
  .option(
    '--rate <n>',
    'open loop: orders per second (default: half the closed-loop max of the same run)',
    positive,
  )
  .option('--duration <s>', 'open loop: seconds of load', positive, 10)
  .option('--backend <name>', 'pglite, postgres or both (default: both when PostgreSQL is reachable)')
  .option('--processes', 'also run one process per service')
  .option('--no-open', 'skip the open-loop run')
  .option('--raw-messages <n>', 'messages in the raw publish measurement', positive, 20_000)
  .option('--json', 'print the rows as JSON')
  .addHelpText(
    'after',
    '\nExamples:\n  npm run bench:saga\n  npm run bench:saga -- --backend pglite --orders 3000\n' +
      '  npm run bench:saga -- --rate 200 --duration 20 --processes\n' +
      `\nPostgreSQL: DATABASE_URL, else ${POSTGRES_URL} when reachable.`,
  )
  .parse();
const opts = program.opts<{
  orders: number;
  concurrency: number;
  rate?: number;
  duration: number;
  backend?: string;
  processes?: boolean;
  open: boolean;
  rawMessages: number;
  json?: boolean;
}>();

const databaseUrl = process.env.DATABASE_URL ?? POSTGRES_URL;
const pgUp = process.env.DATABASE_URL !== undefined || (await postgresReachable());
const backends: ('pglite' | 'postgres')[] =
  opts.backend === undefined
    ? pgUp
      ? ['pglite', 'postgres']
      : ['pglite']
    : opts.backend === 'both'
      ? ['pglite', 'postgres']
      : opts.backend === 'pglite' || opts.backend === 'postgres'
        ? [opts.backend]
        : [];
if (backends.length === 0) {
  process.stderr.write(`--backend must be pglite, postgres or both, not "${opts.backend}"\n`);
  process.exit(2);
}

interface Row {
  backend: string;
  mode: string;
  load: string;
  orders: number;
  ordersPerS: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  eventsPerS: number;
  eventsPerOrder: number;
  peakRssMiB: number;
  /** Highest single process (processes mode) — the per-service figure. */
  maxProcessRssMiB: number;
  cpuMsPerOrder: number;
  rawPublishPerS: number;
  rawBound: number;
  ratio: number;
  violations: string[];
  goal: string;
  met: boolean;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

const progress = (line: string) => process.stderr.write(`› ${line}\n`);

/** Raw JetStream publish rate on this server: CloudEvents-like headers, ~200-byte payload, window 256. */
async function rawPublishRate(url: string, count: number): Promise<number> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'BENCH_RAW', subjects: ['benchraw.>'] });
    const js = jetstream(nc);
    const data = new Uint8Array(200).fill(7);
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < count) {
        const i = next++;
        const h = natsHeaders();
        h.set('ce-specversion', '1.0');
        h.set('ce-id', `raw_${i}`);
        h.set('ce-type', 'bench.v1.Raw');
        h.set('ce-source', 'bench');
        h.set('content-type', 'application/protobuf');
        await js.publish(`benchraw.raw.v1.ord_${i}`, data, { msgID: `raw_${i}`, headers: h });
      }
    };
    await Promise.all(Array.from({ length: 256 }, worker));
    const rate = count / ((performance.now() - started) / 1000);
    await jsm.streams.delete('BENCH_RAW');
    return rate;
  } finally {
    await nc.close();
  }
}

function summarise(
  result: SagaRunResult,
  backend: string,
  load: string,
  rawPublishPerS: number,
  goalOf: (r: Row) => [string, boolean],
): Row {
  const latencies: number[] = [];
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const [orderId, placed] of result.drive.placed) {
    first = Math.min(first, placed.due);
    const done = result.finishedAt.get(orderId);
    if (done === undefined) continue;
    latencies.push(done - placed.due);
    last = Math.max(last, done);
  }
  latencies.sort((a, b) => a - b);
  const windowS = Math.max(0.001, (last - first) / 1000);
  const f = result.figures;
  const eventsPerOrder = f.orders > 0 ? f.eventsPublished / f.orders : 0;
  const cpuMs = result.memory.reduce((a, m) => a + m.cpuMs, 0);
  const rawBound = eventsPerOrder > 0 ? rawPublishPerS / eventsPerOrder : 0;
  const ordersPerS = latencies.length / windowS;
  const row: Row = {
    backend,
    mode: result.mode === 'one process' ? '1 process' : '5 processes',
    load,
    orders: latencies.length,
    ordersPerS,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? 0,
    eventsPerS: f.eventsPublished / windowS,
    eventsPerOrder,
    peakRssMiB: result.memory.reduce((a, m) => a + m.peakRss, 0) / 2 ** 20,
    maxProcessRssMiB: Math.max(...result.memory.map((m) => m.peakRss)) / 2 ** 20,
    cpuMsPerOrder: f.orders > 0 ? cpuMs / f.orders : 0,
    rawPublishPerS,
    rawBound,
    ratio: rawBound > 0 ? ordersPerS / rawBound : 0,
    violations: [...result.invariants.violations],
    goal: '',
    met: false,
  };
  const missing = result.drive.placed.size - latencies.length;
  if (missing > 0)
    row.violations.push(`${missing} placed orders never reached OrderCompleted/OrderCancelled`);
  [row.goal, row.met] = goalOf(row);
  return row;
}

async function scenario(
  backend: 'pglite' | 'postgres',
  processes: boolean,
  load: { kind: 'closed' } | { kind: 'open'; rate: number },
): Promise<Row> {
  const server = await startNatsServer();
  const schemaPrefix = `bench_${Date.now().toString(36)}_`;
  const label = `${backend}, ${processes ? '5 processes' : '1 process'}, ${load.kind === 'closed' ? `closed loop (${opts.concurrency} in flight)` : `open loop ${load.rate.toFixed(0)}/s`}`;
  try {
    progress(`${label}: raw publish rate`);
    const raw = await rawPublishRate(server.url, opts.rawMessages);
    const orders = load.kind === 'closed' ? opts.orders : Math.max(1, Math.round(load.rate * opts.duration));
    progress(`${label}: ${orders} orders`);
    let lastLine = '';
    const result = await runSaga({
      natsUrl: server.url,
      orders,
      processes,
      concurrency: opts.concurrency,
      ...(load.kind === 'open' ? { rate: load.rate } : {}),
      ...(backend === 'postgres' ? { databaseUrl, schemaPrefix } : {}),
      quietTimeoutMs: 300_000,
      onProgress: (line) => {
        if (line.startsWith('orders sent') && !line.endsWith(`${orders}/${orders}`)) return;
        if (line.startsWith('waiting for') && line.includes('consumer(s)')) {
          if (lastLine.startsWith('waiting for')) return;
        }
        lastLine = line;
        progress(`${label}: ${line}`);
      },
    });
    const maxRss = (r: Row) => (processes ? r.maxProcessRssMiB : r.peakRssMiB);
    return summarise(
      result,
      backend,
      load.kind === 'closed' ? 'closed, max' : `open ${load.rate.toFixed(0)}/s`,
      raw,
      (r) =>
        load.kind === 'closed'
          ? [`≥ 1,000 orders/s; RSS < 400 MiB`, r.ordersPerS >= 1000 && maxRss(r) < 400]
          : [`p99 < 250 ms at half max; RSS < 400 MiB`, r.p99 < 250 && maxRss(r) < 400],
    );
  } finally {
    await server.stop();
    if (backend === 'postgres')
      await dropServiceSchemas(databaseUrl, schemaPrefix).catch(() => dropSchema(`${schemaPrefix}orders`));
  }
}

const rows: Row[] = [];
const modes = opts.processes ? [false, true] : [false];
for (const backend of backends)
  for (const processes of modes) {
    const closed = await scenario(backend, processes, { kind: 'closed' });
    rows.push(closed);
    if (opts.open) {
      const rate = opts.rate ?? Math.max(1, Math.floor(closed.ordersPerS / 2));
      rows.push(await scenario(backend, processes, { kind: 'open', rate }));
    }
  }

const ms = (n: number) => `${n.toFixed(0)} ms`;
if (opts.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
else {
  const header = [
    'database',
    'mode',
    'load',
    'orders',
    'orders/s',
    'p50',
    'p95',
    'p99',
    'max',
    'events/s',
    'RSS',
    'CPU/order',
    'raw pub/s',
    'raw bound',
    'ratio',
    'goal',
    'met',
  ];
  const body = rows.map((r) => [
    r.backend,
    r.mode,
    r.load,
    String(r.orders),
    r.ordersPerS.toFixed(0),
    ms(r.p50),
    ms(r.p95),
    ms(r.p99),
    ms(r.max),
    r.eventsPerS.toFixed(0),
    r.mode === '1 process'
      ? `${r.peakRssMiB.toFixed(0)} MiB`
      : `${r.peakRssMiB.toFixed(0)} (max ${r.maxProcessRssMiB.toFixed(0)}) MiB`,
    `${r.cpuMsPerOrder.toFixed(1)} ms`,
    r.rawPublishPerS.toFixed(0),
    `${r.rawBound.toFixed(0)}/s (${r.eventsPerOrder.toFixed(1)} ev/order)`,
    r.ratio.toFixed(2),
    r.goal,
    r.violations.length > 0 ? 'INVARIANT FAILED' : r.met ? 'yes' : 'no',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  process.stdout.write(
    `\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${body.map(line).join('\n')}\n` +
      `\nSaga latency: from the order's scheduled (open loop) or send (closed loop) time to its terminal event on the broker.` +
      `\nRSS: peak while orders ran (processes: sum, max of one service). Load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cpus.\n`,
  );
  for (const r of rows)
    for (const v of r.violations)
      process.stdout.write(`INVARIANT (${r.backend}, ${r.mode}, ${r.load}): ${v}\n`);
}
process.exit(rows.some((r) => r.violations.length > 0) ? 1 : 0);
