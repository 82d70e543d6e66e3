// `npm run bench`: every benchmark in one run, each in its own process so one's memory and JIT state
// do not colour another's. Each prints its own table (ours, peer, ratio, goal); this prints which met goals.
// Catalog scale runs separately (`npm run bench:catalog`) because its largest case takes a while.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const benches = [
  { name: 'runtime: typed publish/consume vs raw nats.js', file: 'runtime.ts', args: [] as string[] },
  { name: 'runtime: router CPU per message without a broker', file: 'router-overhead.ts', args: [] },
  { name: 'runtime: createEnvelope CPU per event vs the codec alone', file: 'envelope.ts', args: [] },
  { name: 'monitor: messages checked vs raw consume', file: 'monitor.ts', args: [] },
  { name: 'verify: 15 real and 100 scaled interactions', file: 'verify.ts', args: [] },
  { name: 'codegen: whole reference system', file: 'codegen.ts', args: [] },
  { name: 'lint: cold registry load', file: 'lint.ts', args: [] },
  { name: 'event store: appends, loads, replay vs raw JetStream / SQL', file: 'eventstore.ts', args: [] },
  { name: 'cluster: R3 vs R1 publish and saga throughput', file: 'cluster.ts', args: [] },
];
const outcomes: string[] = [];
for (const bench of benches) {
  console.log(`\n=== ${bench.name}`);
  const run = spawnSync(
    process.execPath,
    ['--conditions=eventkit-source', '--import', 'tsx', `${here}${bench.file}`, ...bench.args],
    {
      stdio: 'inherit',
    },
  );
  outcomes.push(`${run.status === 0 ? 'ok              ' : `exit ${run.status} (see table)`}  ${bench.name}`);
}
console.log(`\n${outcomes.join('\n')}`);
