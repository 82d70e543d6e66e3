// Benchmark: where the consume ratio goes — the router's CPU per message in isolation, without a broker.
// The same deliveries (real envelopes, prebuilt headers) go to
//   raw+codec (the peer): codec.decode + header read + ack in a synchronous callback (runtime.ts' baseline)
//   envelope:  readEnvelope (the whole CloudEvents envelope) + ack, synchronous
//   promise:   the same through an async handler, acks gathered per event-loop turn as the router does
//   router:    createRouter().handle() over a transport that hands these deliveries over
//   scoped:    raw+codec inside an async handler in an AsyncLocalStorage scope (enables Node 20's promise
//              hooks for the rest of the process, so it runs last; `--paths raw,router` leaves it out)
// The steps between the rows show what each layer costs. Goal: the consume goal (≥ 0.95 ×
// raw+codec), here by CPU and without the broker's share, so stricter than the end-to-end row.
// Usage: npx tsx tools/bench/router-overhead.ts [--messages N] [--runs R] [--paths raw,envelope,...] [--json]
import { AsyncLocalStorage } from 'node:async_hooks';
import { createEnvelope, createRouter, readEnvelope } from '../../src/runtime/index.ts';
import type { Delivery, Subscription, Transport } from '../../src/runtime/transport.ts';
import { benchDescriptor, benchOrder, type OrderPlaced } from './fixtures.ts';
import { booleanFlag, median, numberFlag, report, stringFlag } from './report.ts';

const messages = numberFlag('messages', 100_000);
const runs = numberFlag('runs', 3);
const json = booleanFlag('json');
const paths = new Set(stringFlag('paths', 'raw,envelope,promise,router,scoped').split(','));
const GOAL = 0.95;

const descriptor = benchDescriptor('bench');
const envelopes = Array.from({ length: 1_000 }, (_, i) =>
  createEnvelope(descriptor, benchOrder(i), { source: 'bench' }),
);

let acked = 0;
let allAcked: () => void = () => undefined;
class BenchDelivery implements Delivery {
  readonly stream = 'BENCH';
  readonly consumer = 'bench';
  readonly deliveryCount = 1;
  readonly storedAt = new Date(0);
  constructor(
    readonly subject: string,
    readonly data: Uint8Array,
    readonly headers: Readonly<Record<string, string>>,
    readonly streamSequence: number,
  ) {}
  ack(): void {
    if (++acked === messages) allAcked();
  }
  nak(): void {}
  term(): void {}
  working(): void {}
}

/** Hands `messages` deliveries to `deliver`, 256 per event-loop turn (one pull batch); CPU µs per message. */
async function feed(deliver: (delivery: Delivery) => void): Promise<number> {
  acked = 0;
  const done = new Promise<void>((resolve) => {
    allAcked = resolve;
  });
  let sequence = 0;
  const batch = () => {
    for (let k = 0; k < 256 && sequence < messages; k++) {
      const e = envelopes[sequence % envelopes.length] as (typeof envelopes)[number];
      sequence++;
      deliver(new BenchDelivery(e.subject, e.data, e.headers, sequence));
    }
    if (sequence < messages) setImmediate(batch);
  };
  const before = process.cpuUsage();
  batch();
  await done;
  const used = process.cpuUsage(before);
  return (used.user + used.system) / messages;
}

const scope = new AsyncLocalStorage<{ eventId: string; correlationId: string }>();
const handler = async (payload: OrderPlaced) => {
  if (payload.orderId.length === 0) throw new Error('bad payload');
};

async function routerRun(): Promise<number> {
  let listener: ((d: Delivery) => void) | undefined;
  const transport = {
    ensureStream: async () => undefined,
    consume: async (_spec: unknown, l: (d: Delivery) => void): Promise<Subscription> => {
      listener = l;
      return { name: 'bench', stop: async () => undefined } as unknown as Subscription;
    },
  } as unknown as Transport;
  const router = createRouter({ transport, service: 'bench', deadLetter: false }).handle(
    descriptor,
    { maxAckPending: 1_000, prefetch: 256, concurrency: 256 },
    async (event) => handler(event.payload),
  );
  await router.start();
  const us = await feed((d) => listener?.(d));
  await router.drain();
  return us;
}

/** readEnvelope through an async handler, acks gathered per turn (the router's shape without its bookkeeping). */
function promiseRun(): Promise<number> {
  const acks: Delivery[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    for (const d of acks.splice(0)) d.ack();
  };
  return feed((d) => {
    handler(readEnvelope(descriptor, d).payload).then(
      () => {
        acks.push(d);
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      },
      () => d.nak(),
    );
  });
}

const steps = {
  raw: (): Promise<number> =>
    feed((m) => {
      const payload = descriptor.codec.decode(m.data);
      if (!payload.orderId || !m.headers['ce-id']) throw new Error('bad message');
      m.ack();
    }),
  envelope: (): Promise<number> =>
    feed((d) => {
      if (!readEnvelope(descriptor, d).payload.orderId) throw new Error('bad message');
      d.ack();
    }),
  promise: promiseRun,
  router: routerRun,
  scoped: (): Promise<number> =>
    feed((m) => {
      const id = m.headers['ce-id'] ?? '';
      const payload = descriptor.codec.decode(m.data);
      scope
        .run({ eventId: id, correlationId: id }, () => handler(payload))
        .then(
          () => m.ack(),
          () => m.nak(),
        );
    }),
};
type Step = keyof typeof steps;
const samples: Record<Step, number[]> = { raw: [], envelope: [], promise: [], router: [], scoped: [] };
// Rotated each run; the scoped path last: once a scope has been entered every later promise pays for it.
const rotating = (['raw', 'envelope', 'promise', 'router'] as const).filter((p) => paths.has(p));
// One unmeasured pass of each first, so no path's first sample pays for compiling it.
for (const step of rotating) await steps[step]();
for (let run = 0; run < runs; run++)
  for (let k = 0; k < rotating.length; k++) {
    const step = rotating[(k + run) % rotating.length] as Step;
    samples[step].push(await steps[step]());
  }
for (let run = 0; run < runs && paths.has('scoped'); run++) samples.scoped.push(await steps.scoped());

const raw = median(samples.raw);
const us = (x: number) => (Number.isNaN(x) ? '-' : x.toFixed(2));
const labels: Record<Exclude<Step, 'raw'>, string> = {
  envelope: 'readEnvelope + ack',
  promise: 'readEnvelope + async handler + batched ack',
  router: 'router (all of the above + bookkeeping)',
  scoped: 'raw+codec in an AsyncLocalStorage scope',
};
const rows = (Object.keys(labels) as Exclude<Step, 'raw'>[])
  .filter((step) => samples[step].length > 0)
  .map((step) => {
    const ours = median(samples[step]);
    return {
      scenario: labels[step],
      ours: us(ours),
      peer: us(raw),
      ratio: Number((raw / ours).toFixed(2)),
      goal: step === 'router' ? `≥ ${GOAL}` : '',
      ...(step === 'router' ? { pass: raw / ours >= GOAL } : {}),
      extra: [us(ours - raw)],
    };
  });
report(
  {
    benchmark: 'router-overhead',
    json,
    headers: { ours: 'cpu µs/msg', peer: 'raw+codec µs/msg', extra: ['µs over raw+codec'] },
    footer:
      `${messages} deliveries per run, no broker, median of ${runs} runs (Node ${process.version}); ` +
      "ratio = raw+codec / ours; the rows without a goal show where the router row's time goes",
    details: { messages, runs, samples },
  },
  rows,
);
