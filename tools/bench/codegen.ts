// Benchmark: `eventkit codegen --check` over the reference system (goal: < 3 s for all five services).
// Loading the registry is not counted (it belongs to every command). "cold" includes loading the
// AsyncAPI generator (first run in a process), "warm" is a later run in the same process.
// Usage: npx tsx tools/bench/codegen.ts [runs]
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { runCodegen } from '../../src/codegen/index.ts';
import { loadConfig, loadRegistry } from '../../src/model/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const runs = Number(process.argv[2] ?? 5);

const { config } = await loadConfig(root);
const { registry } = await loadRegistry(config);
const timings: number[] = [];
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  const result = await runCodegen(registry, { check: true });
  timings.push(performance.now() - started);
  if (result.stale.length > 0)
    console.error(`note: ${result.stale.length} stale file(s); run eventkit codegen`);
}
const [cold, ...warm] = timings;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const files = (await runCodegen(registry, { check: true })).services.reduce(
  (sum, service) => sum + service.files,
  0,
);
console.log(
  JSON.stringify(
    {
      benchmark: 'codegen',
      services: registry.services.length,
      files,
      coldMs: Math.round(cold ?? Number.NaN),
      warmMedianMs: Math.round(median(warm)),
      goalMs: 3000,
      loadAverage: os.loadavg().map((value) => Number(value.toFixed(1))),
      cpus: os.cpus().length,
    },
    null,
    2,
  ),
);
