// `npm run bench:catalog`: builds the catalog for synthetic registries of three sizes, each in its own
// process (so peak RSS is that build's), and prints wall time, CPU, peak RSS and output size against the goals
// and the figures EventCatalog reached on this kind of machine.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Size {
  readonly services: number;
  readonly events: number;
  /** What EventCatalog did for about this many events on this kind of machine. */
  readonly peer: string;
}

const sizes: readonly Size[] = [
  { services: 5, events: 20, peer: '2 min 8 s · 4 GB' },
  { services: 100, events: 1_000, peer: '14 min 30 s · 4.3 GB · 499 MB' },
  { services: 1_000, events: 10_000, peer: 'out of memory (at 3,000 events)' },
];

/** Goals: 1,000 events ≤ 2 s, 10,000 ≤ 20 s, peak RSS < 1 GB, < 50 MB output per 1,000 events. */
function goalFor(events: number): { timeMs: number; rssBytes: number; bytes: number } {
  return {
    timeMs: events <= 1_000 ? 2_000 : 20_000,
    rssBytes: 1024 ** 3,
    bytes: Math.max(1, events / 1_000) * 50 * 1024 * 1024,
  };
}

interface ChildResult {
  readonly generateMs: number;
  readonly buildMs: number;
  readonly cpuMs: number;
  readonly maxRssBytes: number;
  readonly bytes: number;
  readonly files: number;
  readonly pages: number;
}

async function child(services: number, events: number, out: string): Promise<void> {
  const { syntheticRegistry } = await import('../synthetic/registry.ts');
  const { writeSyntheticContracts } = await import('../synthetic/contracts.ts');
  const { buildCatalog } = await import('../../src/catalog/index.ts');
  const root = path.join(out, 'project');
  const t0 = performance.now();
  const registry = syntheticRegistry({ services, events, consumersPerEvent: 2, root });
  writeSyntheticContracts(registry, root);
  const generateMs = performance.now() - t0;
  const cpu0 = process.cpuUsage();
  const summary = await buildCatalog({ registry, root, outDir: path.join(out, 'site') });
  const cpu = process.cpuUsage(cpu0);
  const result: ChildResult = {
    generateMs,
    buildMs: summary.durationMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    bytes: summary.bytes,
    files: summary.files,
    pages: summary.pages,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runChild(size: Size, out: string): Promise<ChildResult & { processMs: number }> {
  const script = fileURLToPath(import.meta.url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', script, '--child', String(size.services), String(size.events), out],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    p.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0)
        return reject(new Error(`benchmark child for ${size.events} events exited with ${code}`));
      const line = stdout.trim().split('\n').at(-1) ?? '{}';
      resolve({ ...(JSON.parse(line) as ChildResult), processMs: performance.now() - started });
    });
  });
}

const fmtMs = (ms: number): string =>
  ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
const fmtMb = (bytes: number): string =>
  `${(bytes / 1024 / 1024).toFixed(bytes < 100 * 1024 * 1024 ? 1 : 0)} MB`;
const mark = (ok: boolean): string => (ok ? '✓' : '✗');

function table(rows: readonly string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map(
      (r, n) =>
        r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ') +
        (n === 0 ? `\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : ''),
    )
    .join('\n');
}

async function main(): Promise<void> {
  const only = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  const chosen = only.length > 0 ? sizes.filter((s) => only.includes(s.events)) : sizes;
  const rows: string[][] = [
    [
      'services/events',
      'build wall',
      'CPU',
      'process wall',
      'peak RSS',
      'output',
      'pages',
      'goal',
      'EventCatalog (peer)',
    ],
  ];
  const load = os.loadavg()[0]?.toFixed(1);
  for (const size of chosen) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'eventkit-bench-catalog-'));
    try {
      process.stderr.write(`bench:catalog: ${size.services} services / ${size.events} events…\n`);
      const r = await runChild(size, out);
      const goal = goalFor(size.events);
      const verdict = [
        `time ${mark(r.buildMs <= goal.timeMs)} ≤${fmtMs(goal.timeMs)}`,
        `rss ${mark(r.maxRssBytes < goal.rssBytes)}`,
        `size ${mark(r.bytes < goal.bytes)} <${fmtMb(goal.bytes)}`,
      ].join(' · ');
      rows.push([
        `${size.services.toLocaleString('en')}/${size.events.toLocaleString('en')}`,
        fmtMs(r.buildMs),
        fmtMs(r.cpuMs),
        fmtMs(r.processMs),
        fmtMb(r.maxRssBytes),
        fmtMb(r.bytes),
        r.pages.toLocaleString('en'),
        verdict,
        size.peer,
      ]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }
  process.stdout.write(`${table(rows)}\n`);
  process.stdout.write(
    `\nbuild wall = buildCatalog() only; process wall adds node + tsx start-up and generating the synthetic registry and pacts.\n` +
      `Machine: ${os.cpus().length} cores, load average ${load} at start (shared machine: wall times vary with load; CPU is steadier).\n`,
  );
}

if (process.argv[2] === '--child') {
  await child(Number(process.argv[3]), Number(process.argv[4]), process.argv[5] as string);
} else {
  await main();
}
