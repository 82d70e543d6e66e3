// Benchmark: where the publish ratio goes — createEnvelope's CPU per event in isolation (no broker, no
// publisher), beside what any hand-written publisher does with the same codec: `codec.encode` (the runtime
// bench's raw+codec side), and `codec.validate` + `codec.encode` (ours checks every value before encoding).
// The rest of createEnvelope is the envelope itself: id, time, traceparent, subject and the headers object.
// Diagnostic rows (no goal of their own): the publish goal is runtime.ts' end-to-end row.
// Usage: npx tsx tools/bench/envelope.ts [--events N] [--runs R] [--json]
import { createEnvelope } from '../../src/runtime/index.ts';
import { benchDescriptor, benchOrder } from './fixtures.ts';
import { booleanFlag, median, numberFlag, report } from './report.ts';

const events = numberFlag('events', 200_000);
const runs = numberFlag('runs', 5);
const json = booleanFlag('json');

const descriptor = benchDescriptor('bench');
const orders = Array.from({ length: 1_000 }, (_, i) => benchOrder(i));

/** CPU µs per call of `job` over `events` calls. */
function cpuPerCall(job: (i: number) => number): number {
  let sink = 0;
  const before = process.cpuUsage();
  for (let i = 0; i < events; i++) sink += job(i);
  const used = process.cpuUsage(before);
  if (sink < 0) throw new Error('unreachable');
  return (used.user + used.system) / events;
}

const steps = {
  encode: (i: number) => descriptor.codec.encode(orders[i % 1_000] as (typeof orders)[number]).length,
  validated: (i: number) => {
    const order = orders[i % 1_000] as (typeof orders)[number];
    return descriptor.codec.validate(order).length + descriptor.codec.encode(order).length;
  },
  envelope: (i: number) =>
    createEnvelope(descriptor, orders[i % 1_000] as (typeof orders)[number], { source: 'bench' }).data.length,
};
const samples: Record<keyof typeof steps, number[]> = { encode: [], validated: [], envelope: [] };
const names = Object.keys(steps) as (keyof typeof steps)[];
// One unmeasured pass of each first, so no step's first sample pays for compiling it.
for (const name of names) cpuPerCall(steps[name]);
for (let run = 0; run < runs; run++)
  for (let k = 0; k < names.length; k++) {
    const name = names[(k + run) % names.length] as keyof typeof steps;
    samples[name].push(cpuPerCall(steps[name]));
  }

const encode = median(samples.encode);
const rows = (
  [
    ['codec.validate + codec.encode', median(samples.validated)],
    ['createEnvelope (validate, encode, envelope)', median(samples.envelope)],
  ] as const
).map(([scenario, ours]) => ({
  scenario,
  ours: ours.toFixed(2),
  peer: encode.toFixed(2),
  ratio: Number((encode / ours).toFixed(2)),
  goal: '',
  extra: [(ours - encode).toFixed(2)],
}));
report(
  {
    benchmark: 'envelope',
    json,
    headers: { ours: 'cpu µs/event', peer: 'codec.encode µs', extra: ['µs over encode'] },
    footer: `${events} events per run, median of ${runs} rotated runs; diagnostic: the publish goal is runtime.ts' row`,
    details: { events, runs, samples },
  },
  rows,
);
