// Benchmark: `eventkit monitor`'s overhead. Messages checked per second (startMonitor --from-start over a
// stream of reference OrderPlaced events: headers, header schema, subject, decode + validate, key, sender)
// beside raw consume (a nats.js ordered push consumer over the same stream that decodes each payload with
// protobufjs and reads its headers — what a hand-written tail does). Goal: ours ≥ 0.5 × raw.
// Usage: npx tsx tools/bench/monitor.ts [--messages N] [--runs R] [--json]
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import { loadProject } from '../../src/model/index.ts';
import { codecOfEvent, startMonitor } from '../../src/monitor/index.ts';
import { provisionFromRegistry } from '../../src/reference/system/provision.ts';
import { createEnvelope, type EventDescriptor, protoType } from '../../src/runtime/index.ts';
import { startNatsServer } from '../../src/runtime/nats-server.ts';
import { booleanFlag, median, numberFlag, report } from './report.ts';

const messages = numberFlag('messages', 20_000);
const runs = numberFlag('runs', 3);
const json = booleanFlag('json');
const GOAL = 0.5;
const TYPE = 'orders.v2.OrderPlaced';

const { registry } = await loadProject(new URL('../..', import.meta.url).pathname);
const event = registry.events.find((e) => e.type === TYPE);
if (event?.payload.kind !== 'protobuf' || !event.examples[0]) throw new Error(`${TYPE} not in the reference`);
const codec = codecOfEvent(event);
const descriptor: EventDescriptor<unknown> = {
  type: event.type,
  kind: event.kind,
  context: event.context,
  name: event.name,
  major: event.major,
  subjectPattern: event.subjectPattern,
  subjectFilter: event.subjectFilter,
  ...(event.partitionKey ? { partitionKey: event.partitionKey } : {}),
  codec,
};
const example = codec.fromJson(event.examples[0].payload) as { orderId: string };
const rawType = protoType(event.payload.descriptor, event.payload.messageType);
const stream = event.stream as string;

const server = await startNatsServer();
const nc = await connect({ servers: server.url });
await provisionFromRegistry(registry, nc);
const js = jetstream(nc);
for (let i = 0; i < messages; i += 500) {
  const batch = [];
  for (let j = i; j < Math.min(messages, i + 500); j++) {
    const msg = createEnvelope(
      descriptor,
      { ...example, orderId: `ord_${j}` },
      { source: event.producer ?? '' },
    );
    const h = natsHeaders();
    for (const [k, v] of Object.entries(msg.headers)) h.set(k, v);
    batch.push(js.publish(msg.subject, msg.data, { headers: h, msgID: msg.id }));
  }
  await Promise.all(batch);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(run: () => Promise<void>): Promise<{ rate: number; cpuUs: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await run();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    rate: Math.round(messages / (ms / 1000)),
    cpuUs: Number(((cpu.user + cpu.system) / messages).toFixed(1)),
  };
}

async function monitorRun(): Promise<void> {
  const monitor = await startMonitor({ connection: nc, registry, fromStart: true });
  while (monitor.stats().checked < messages) await sleep(5);
  await monitor.stop();
  if (monitor.stats().violations > 0) throw new Error('the benchmark messages should be valid');
}

async function rawRun(): Promise<void> {
  const consumer = await js.consumers.getPushConsumer(stream, { deliver_policy: DeliverPolicy.All });
  let seen = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => {
    done = r;
  });
  const iter = await consumer.consume({
    callback: (m) => {
      const h = m.headers;
      if (h?.get('ce-type') === TYPE) rawType.toObject(rawType.decode(m.data));
      if (++seen === messages) done();
    },
  });
  await finished;
  await iter.close();
}

const ours: { rate: number; cpuUs: number }[] = [];
const raw: { rate: number; cpuUs: number }[] = [];
for (let r = 0; r < runs; r++) {
  // Alternate the order so neither always runs on a warmer JIT.
  if (r % 2 === 0) {
    ours.push(await measure(monitorRun));
    raw.push(await measure(rawRun));
  } else {
    raw.push(await measure(rawRun));
    ours.push(await measure(monitorRun));
  }
}
await nc.close();
await server.stop();

const o = median(ours.map((x) => x.rate));
const p = median(raw.map((x) => x.rate));
report(
  {
    benchmark: 'monitor',
    json,
    headers: { ours: 'ours msgs/s', peer: 'peer msgs/s', extra: ['cpu µs/msg ours / peer'] },
    footer: `${messages} messages (${TYPE}) per run, median of ${runs} runs`,
    details: { messages, runs },
  },
  [
    {
      scenario: 'monitor checks vs raw ordered consume + decode',
      ours: String(o),
      peer: String(p),
      ratio: Number((o / p).toFixed(2)),
      goal: `≥ ${GOAL}`,
      pass: o / p >= GOAL,
      extra: [`${median(ours.map((x) => x.cpuUs))} / ${median(raw.map((x) => x.cpuUs))}`],
    },
  ],
);
