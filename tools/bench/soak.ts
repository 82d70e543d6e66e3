// `npm run bench:soak`: is memory flat over a long run? The reference shop in one process (PGlite, or
// PostgreSQL with --backend postgres) takes --orders orders on schedule (open loop, --rate orders/s) on a
// fresh nats-server. Every 5 s, after a full GC, heap and RSS are sampled; the slope over the run after a
// warm-up (least squares) is reported per 10,000 orders. The driver's own bookkeeping (two map entries per
// order, measured here on a replica) is shown beside it, since it grows by design.
import os from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { dropServiceSchemas, runSaga } from '../../src/reference/system/index.ts';
import { startNatsServer } from '../../src/runtime/nats-server.ts';
import { POSTGRES_URL } from '../../test/reference/postgres.ts';

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number above 0');
  return n;
}

const opts = new Command('bench:soak')
  .description('Memory over a long saga run: heap and RSS slope per 10,000 orders (goal: flat)')
  .option('--orders <n>', 'orders to drive', positive, 100_000)
  .option('--rate <n>', 'orders per second, on schedule', positive, 40)
  .option('--backend <name>', 'pglite or postgres', 'pglite')
  .option('--warmup <fraction>', 'share of the run left out of the slope', positive, 0.25)
  .addHelpText(
    'after',
    '\nExamples:\n  npm run bench:soak\n  npm run bench:soak -- --orders 20000 --rate 60\n' +
      '\nRun through the npm script: it passes --expose-gc (samples are taken after a full GC).',
  )
  .parse()
  .opts<{ orders: number; rate: number; backend: string; warmup: number }>();

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  process.stderr.write('bench:soak needs --expose-gc: run it as `npm run bench:soak`\n');
  process.exit(2);
}
if (opts.backend !== 'pglite' && opts.backend !== 'postgres') {
  process.stderr.write(`--backend must be pglite or postgres, not "${opts.backend}"\n`);
  process.exit(2);
}

const MiB = 2 ** 20;
interface Sample {
  readonly s: number;
  readonly heap: number;
  readonly rss: number;
}

function sample(started: number): Sample {
  gc?.();
  const m = process.memoryUsage();
  return { s: (performance.now() - started) / 1000, heap: m.heapUsed / MiB, rss: m.rss / MiB };
}

/** Least-squares slope of y over x. */
function slope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/** Heap bytes the driver keeps per order (placed + finished entries), measured on a 20,000-entry replica. */
function driverBytesPerOrder(): number {
  const count = 20_000;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const placed = new Map<string, { kind: string; at: number; due: number }>();
  const finished = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const id = `ord_${(0x1000000000000000 + i * 7919).toString(16)}`;
    placed.set(id, { kind: 'success', at: Date.now(), due: Date.now() });
    finished.set(id, Date.now());
  }
  gc?.();
  const bytes = (process.memoryUsage().heapUsed - before) / count;
  placed.clear();
  finished.clear();
  return bytes;
}

const perOrder = driverBytesPerOrder();
const server = await startNatsServer();
const schemaPrefix = `soak_${Date.now().toString(36)}_`;
const databaseUrl = process.env.DATABASE_URL ?? POSTGRES_URL;
const samples: Sample[] = [];
const started = performance.now();
let driving: { from: number; to: number } | undefined;
const sampler = setInterval(() => samples.push(sample(started)), 5_000);
try {
  let sentAll = false;
  const drivingFrom = { s: 0 };
  const result = await runSaga({
    natsUrl: server.url,
    orders: opts.orders,
    processes: false,
    concurrency: 64,
    rate: opts.rate,
    ...(opts.backend === 'postgres' ? { databaseUrl, schemaPrefix } : {}),
    quietTimeoutMs: 600_000,
    onProgress: (line) => {
      if (line.startsWith('orders sent')) {
        if (drivingFrom.s === 0) drivingFrom.s = (performance.now() - started) / 1000;
        if (line.endsWith(`${opts.orders}/${opts.orders}`) && !sentAll) {
          sentAll = true;
          driving = { from: drivingFrom.s, to: (performance.now() - started) / 1000 };
        }
        const done = Number(line.split(' ')[2]?.split('/')[0]);
        if (done % 5_000 === 0) process.stderr.write(`› ${line}\n`);
        return;
      }
      process.stderr.write(`› ${line}\n`);
    },
  });
  clearInterval(sampler);
  const window = driving ?? { from: samples[0]?.s ?? 0, to: samples.at(-1)?.s ?? 0 };
  const from = window.from + (window.to - window.from) * opts.warmup;
  const steady = samples.filter((p) => p.s >= from && p.s <= window.to);
  const ordersPerS = result.drive.placed.size / Math.max(1, window.to - window.from);
  const per10k = (mibPerS: number) => (mibPerS / ordersPerS) * 10_000;
  const heapSlope = per10k(slope(steady.map((p) => [p.s, p.heap])));
  const rssSlope = per10k(slope(steady.map((p) => [p.s, p.rss])));
  const driverSlope = (perOrder * 10_000) / MiB;
  const first = steady[0];
  const last = steady.at(-1);
  const rows: [string, string][] = [
    ['orders placed / finished', `${result.drive.placed.size} / ${result.finishedAt.size}`],
    ['rate (driving)', `${ordersPerS.toFixed(1)} orders/s for ${(window.to - window.from).toFixed(0)} s`],
    ['samples in the slope', `${steady.length} (after ${(opts.warmup * 100).toFixed(0)}% warm-up)`],
    ['heap (after GC), steady start → end', `${first?.heap.toFixed(0)} → ${last?.heap.toFixed(0)} MiB`],
    ['RSS, steady start → end', `${first?.rss.toFixed(0)} → ${last?.rss.toFixed(0)} MiB`],
    ['heap slope', `${heapSlope.toFixed(2)} MiB per 10k orders`],
    ['RSS slope', `${rssSlope.toFixed(2)} MiB per 10k orders`],
    ['the driver’s own bookkeeping (peer)', `${driverSlope.toFixed(2)} MiB per 10k orders`],
    ['heap slope beyond the driver’s', `${(heapSlope - driverSlope).toFixed(2)} MiB per 10k orders`],
    ['goal', 'flat: heap slope beyond the driver’s ≤ 1 MiB per 10k orders'],
    ['met', heapSlope - driverSlope <= 1 ? 'yes' : 'no'],
    [
      'invariants',
      result.invariants.violations.length === 0 ? 'ok' : result.invariants.violations.join(' | '),
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(
    `\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n` +
      `\n${opts.backend}, one process; load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cpus.\n`,
  );
  process.exitCode = result.invariants.violations.length > 0 ? 1 : 0;
} finally {
  clearInterval(sampler);
  await server.stop();
  if (opts.backend === 'postgres') await dropServiceSchemas(databaseUrl, schemaPrefix).catch(() => {});
}
