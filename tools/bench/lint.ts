// Benchmark: `eventkit lint --timing` cold (a fresh process each run) on the repository's contracts.
// Goal: loading the registry < 1.5 s. "first" runs with an empty validator cache (the AsyncAPI JSON Schema
// is compiled and cached, once per machine); the other runs reuse it. buf is excluded (--no-buf).
// Usage: npx tsx tools/bench/lint.ts [runs]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const runs = Number(process.argv[2] ?? 5);

interface Timing {
  loadMs: number;
  loadCpuMs: number;
  totalMs: number;
  processMs: number;
}

function lintOnce(env: NodeJS.ProcessEnv): Timing {
  const started = performance.now();
  const stdout = execFileSync(
    process.execPath,
    [path.join(root, 'bin/eventkit.mjs'), '-C', root, 'lint', '--json', '--timing', '--no-buf'],
    { env, encoding: 'utf8' },
  );
  const processMs = performance.now() - started;
  const { timing } = JSON.parse(stdout) as { timing: { loadMs: number; loadCpuMs: number; totalMs: number } };
  return {
    loadMs: timing.loadMs,
    loadCpuMs: timing.loadCpuMs,
    totalMs: timing.totalMs,
    processMs: Math.round(processMs),
  };
}

const emptyCache = mkdtempSync(path.join(os.tmpdir(), 'eventkit-cache-'));
const first = lintOnce({ ...process.env, EVENTKIT_CACHE_DIR: path.join(emptyCache, 'cache') });
rmSync(emptyCache, { recursive: true, force: true });
const cold: Timing[] = [];
for (let run = 0; run < runs; run++) cold.push(lintOnce(process.env));
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
console.log(
  JSON.stringify(
    {
      benchmark: 'lint',
      firstRunEmptyCache: first,
      coldMedian: {
        loadMs: median(cold.map((t) => t.loadMs)),
        loadCpuMs: median(cold.map((t) => t.loadCpuMs)),
        totalMs: median(cold.map((t) => t.totalMs)),
        processMs: median(cold.map((t) => t.processMs)),
      },
      goalLoadMs: 1500,
      loadAverage: os.loadavg().map((value) => Number(value.toFixed(1))),
      cpus: os.cpus().length,
    },
    null,
    2,
  ),
);
