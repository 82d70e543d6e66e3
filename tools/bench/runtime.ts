// Benchmark: the typed runtime against raw nats.js on the same local nats-server.
//   publish: createPublisher + protobuf codec (validate, encode, CloudEvents headers, PubAck, retries)
//            vs js.publish with the same headers and window, both with Nats-Msg-Id.
//   consume: router (decode — which validates —, handler, ack) vs consumer.consume() + ack with the same prefetch.
// Two baselines: "raw+codec" does what hand-written code must do to use the payload, with the SAME codec
// object ours uses (codec.encode per publish, codec.decode per message), so the ratio is the runtime
// layer alone — the goal (ours ≥ 0.95 × raw+codec) is measured against it; "bare" moves pre-encoded bytes
// and never looks at a message (the transport's ceiling). Ours also validates before encoding and reads
// the whole CloudEvents envelope: that is part of what is measured.
// Usage: npx tsx tools/bench/runtime.ts [--messages N] [--window W] [--runs R] [--json]
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import {
  createEnvelope,
  createPublisher,
  createRouter,
  type EventDescriptor,
  jetstreamTransport,
  newEventId,
  streamSpec,
} from '../../src/runtime/index.ts';
import { startNatsServer } from '../../src/runtime/nats-server.ts';
import { benchDescriptor, benchOrder, type OrderPlaced } from './fixtures.ts';
import { booleanFlag, type GoalRow, median, numberFlag, report } from './report.ts';

const messages = numberFlag('messages', 20_000);
const window = numberFlag('window', 256);
const runs = numberFlag('runs', 3);
const json = booleanFlag('json');
const GOAL = 0.95;

const descriptor = benchDescriptor;
const order = benchOrder;

/** Run `count` async jobs with at most `limit` in flight. */
async function windowed(count: number, limit: number, job: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

const server = await startNatsServer();
const nc = await connect({ servers: server.url });
const js = jetstream(nc);
const jsm = await jetstreamManager(nc);
const transport = jetstreamTransport({ servers: server.url });
let round = 0;

async function freshStream(label: string) {
  const context = `${label}${++round}`;
  const d = descriptor(context);
  await transport.ensureStream(streamSpec(d.stream as string, [d.subjectFilter], { storage: 'file' }));
  return d;
}

async function typedPublish(): Promise<{ ms: number; d: EventDescriptor<OrderPlaced> }> {
  const d = await freshStream('typed');
  const publisher = createPublisher({ transport, source: 'bench', window });
  const started = performance.now();
  await windowed(messages, window, (i) => publisher.publish(d, order(i)));
  return { ms: performance.now() - started, d };
}

async function rawPublish(withCodec: boolean): Promise<{ ms: number; d: EventDescriptor<OrderPlaced> }> {
  const d = await freshStream(withCodec ? 'rawcodec' : 'raw');
  // Same CloudEvents headers on the wire: the comparison is about our layer, not the header count.
  const template = createEnvelope(d, order(0), { source: 'bench' });
  const started = performance.now();
  await windowed(messages, window, (i) => {
    const h = natsHeaders();
    for (const key in template.headers) h.set(key, template.headers[key] as string);
    const data = withCodec ? d.codec.encode(order(i)) : template.data;
    return js.publish(`${d.context}.order-placed.v1.ord_${i}`, data, { msgID: newEventId(), headers: h });
  });
  return { ms: performance.now() - started, d };
}

async function typedConsume(d: EventDescriptor<OrderPlaced>): Promise<number> {
  let handled = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => {
    done = r;
  });
  // No validation() middleware: decoding already enforces the schema (protobuf by construction,
  // jsonCodec.decode runs ajv); validation() exists for codecs that do not.
  const router = createRouter({ transport, service: `bench${round}` }).handle(
    d,
    { maxAckPending: 1_000, prefetch: window, concurrency: window },
    async (event) => {
      if (event.payload.orderId.length === 0) throw new Error('bad payload');
      if (++handled === messages) done();
    },
  );
  const started = performance.now();
  await router.start();
  await finished;
  const ms = performance.now() - started;
  await router.drain();
  return ms;
}

async function rawConsume(d: EventDescriptor<OrderPlaced>, withCodec: boolean): Promise<number> {
  const stream = d.stream as string;
  const name = `raw${++round}`;
  await jsm.consumers.add(stream, {
    durable_name: name,
    ack_policy: AckPolicy.Explicit,
    max_ack_pending: 1_000,
    max_deliver: 5,
    backoff: [1e9, 5e9, 30e9],
    filter_subject: d.subjectFilter,
  });
  const consumer = await js.consumers.get(stream, name);
  let handled = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => {
    done = r;
  });
  const started = performance.now();
  const iter = await consumer.consume({
    max_messages: window,
    callback: (m) => {
      if (withCodec) {
        const payload = d.codec.decode(m.data);
        if (!payload.orderId || !m.headers?.get('ce-id')) throw new Error('bad message');
      }
      m.ack();
      if (++handled === messages) done();
    },
  });
  await finished;
  const ms = performance.now() - started;
  await iter.close();
  return ms;
}

const rate = (ms: number) => Math.round((messages / ms) * 1000);

// Warm-up (JIT, connections, codec resolution), not measured.
const saved = messages;
{
  const d = await freshStream('warm');
  const p = createPublisher({ transport, source: 'bench', window });
  await windowed(Math.min(2_000, saved), window, (i) => p.publish(d, order(i)));
}

const results = {
  typedPublish: [] as number[],
  codecPublish: [] as number[],
  barePublish: [] as number[],
  typedConsume: [] as number[],
  codecConsume: [] as number[],
  bareConsume: [] as number[],
};
/** CPU time of this process per message (the broker runs in its own process): robust on a busy machine. */
const cpu = {
  typedPublish: [] as number[],
  codecPublish: [] as number[],
  barePublish: [] as number[],
  typedConsume: [] as number[],
  codecConsume: [] as number[],
  bareConsume: [] as number[],
};
async function measured<T>(key: keyof typeof cpu, job: () => Promise<T>): Promise<T> {
  const before = process.cpuUsage();
  const result = await job();
  const used = process.cpuUsage(before);
  cpu[key].push(Number(((used.user + used.system) / messages).toFixed(1)));
  return result;
}
for (let r = 0; r < runs; r++) {
  // Rotate the order so no side always runs on a warmer (or busier) machine.
  const order3 = [0, 1, 2].map((k) => (k + r) % 3);
  const published: Record<number, { ms: number; d: EventDescriptor<OrderPlaced> }> = {};
  for (const k of order3)
    published[k] =
      k === 0
        ? await measured('typedPublish', typedPublish)
        : await measured(k === 1 ? 'codecPublish' : 'barePublish', () => rawPublish(k === 1));
  const typed = published[0] as { ms: number; d: EventDescriptor<OrderPlaced> };
  results.typedPublish.push(rate(typed.ms));
  results.codecPublish.push(rate((published[1] as { ms: number }).ms));
  results.barePublish.push(rate((published[2] as { ms: number }).ms));
  // Each consumer reads the typed events just published (same bytes, same headers).
  for (const k of order3) {
    if (k === 0) results.typedConsume.push(rate(await measured('typedConsume', () => typedConsume(typed.d))));
    else if (k === 1)
      results.codecConsume.push(rate(await measured('codecConsume', () => rawConsume(typed.d, true))));
    else results.bareConsume.push(rate(await measured('bareConsume', () => rawConsume(typed.d, false))));
  }
}

const row = (scenario: string, key: 'Publish' | 'Consume'): GoalRow => {
  const o = median(results[`typed${key}`]);
  const c = median(results[`codec${key}`]);
  const b = median(results[`bare${key}`]);
  const cpu3 = [cpu[`typed${key}`], cpu[`codec${key}`], cpu[`bare${key}`]].map(median);
  return {
    scenario,
    ours: String(o),
    peer: String(c),
    ratio: Number((o / c).toFixed(2)),
    goal: `≥ ${GOAL}`,
    pass: o / c >= GOAL,
    // CPU of this process per message: steadier than msgs/s on a shared machine; the ratio by CPU beside it.
    extra: [String(b), (o / b).toFixed(2), cpu3.join(' / '), ((cpu3[1] ?? 0) / (cpu3[0] ?? 1)).toFixed(2)],
  };
};
const rows = [
  row('publish (typed vs js.publish)', 'Publish'),
  row('consume (router vs consume+ack)', 'Consume'),
];

await transport.close();
await nc.close();
await server.stop();

report(
  {
    benchmark: 'runtime',
    json,
    headers: {
      ours: 'ours msgs/s',
      peer: 'raw+codec msgs/s',
      extra: ['bare msgs/s', 'vs bare', 'cpu µs/msg ours / raw+codec / bare', 'ratio by cpu'],
    },
    footer: `${messages} messages per run, window ${window}, median of ${runs} rotated runs`,
    details: { messages, window, runs, samples: results, cpuSamples: cpu },
  },
  rows,
);
