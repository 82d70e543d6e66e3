// Benchmark: where the consume ratio goes — the router's CPU per message in isolation, without a broker.
// The same deliveries (real envelopes, prebuilt headers) go to
//   raw+codec:       codec.decode + header read + ack in a synchronous callback (the runtime.ts baseline)
//   raw+codec+scope: the same inside an async handler run in an AsyncLocalStorage scope, as the router
//                    must (events published by a handler inherit its correlation and trace)
//   router:          createRouter().handle() over a transport that hands these deliveries over
// Usage: npx tsx tools/bench/router-overhead.ts [--messages N] [--runs R]
import { AsyncLocalStorage } from 'node:async_hooks';
import protobuf from 'protobufjs';
import {
  createEnvelope,
  createRouter,
  type EventDescriptor,
  protobufCodec,
} from '../../src/runtime/index.ts';
import type { Delivery, Subscription, Transport } from '../../src/runtime/transport.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const messages = flag('messages', 100_000);
const runs = flag('runs', 3);

const PROTO = `syntax = "proto3"; package bench.v1;
import "google/protobuf/timestamp.proto";
message Money { string currency_code = 1; int64 units = 2; int32 nanos = 3; }
message OrderLine { string product_id = 1; int32 quantity = 2; Money unit_price = 3; }
message OrderPlaced { string order_id = 1; string customer_id = 2; string store_id = 3; repeated OrderLine lines = 4; Money total = 5; google.protobuf.Timestamp placed_at = 6; }`;
interface OrderPlaced {
  orderId: string;
  customerId: string;
  storeId: string;
  lines: {
    productId: string;
    quantity: number;
    unitPrice?: { currencyCode: string; units: number; nanos: number };
  }[];
  total?: { currencyCode: string; units: number; nanos: number };
  placedAt?: { seconds: number; nanos: number };
}
const descriptor: EventDescriptor<OrderPlaced> = {
  type: 'bench.v1.OrderPlaced',
  kind: 'event',
  context: 'bench',
  name: 'OrderPlaced',
  major: 1,
  subjectPattern: 'bench.order-placed.v1.{orderId}',
  subjectFilter: 'bench.order-placed.v1.>',
  stream: 'BENCH',
  partitionKey: { parameter: 'orderId', field: 'orderId' },
  codec: protobufCodec<OrderPlaced>(
    protobuf.parse(PROTO, { keepCase: true }).root.toJSON() as Record<string, unknown>,
    'bench.v1.OrderPlaced',
  ),
};
const envelopes = Array.from({ length: 1_000 }, (_, i) =>
  createEnvelope(
    descriptor,
    {
      orderId: `ord_${i}`,
      customerId: 'cus_1',
      storeId: 'sto_1',
      lines: [
        { productId: 'p1', quantity: 2, unitPrice: { currencyCode: 'EUR', units: 9, nanos: 990_000_000 } },
      ],
      total: { currencyCode: 'EUR', units: 19, nanos: 980_000_000 },
      placedAt: { seconds: 1_700_000_000, nanos: 0 },
    },
    { source: 'bench' },
  ),
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
const samples = { raw: [] as number[], scoped: [] as number[], router: [] as number[] };
for (let run = 0; run < runs; run++) {
  samples.raw.push(
    await feed((m) => {
      const payload = descriptor.codec.decode(m.data);
      if (!payload.orderId || !m.headers['ce-id']) throw new Error('bad message');
      m.ack();
    }),
  );
  samples.scoped.push(
    await feed((m) => {
      const id = m.headers['ce-id'] ?? '';
      const payload = descriptor.codec.decode(m.data);
      scope
        .run({ eventId: id, correlationId: id }, () => handler(payload))
        .then(
          () => m.ack(),
          () => m.nak(),
        );
    }),
  );
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
  samples.router.push(await feed((d) => listener?.(d)));
  await router.drain();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const raw = median(samples.raw);
console.log('path                 cpu µs/msg  over raw+codec');
for (const [name, key] of [
  ['raw+codec', 'raw'],
  ['raw+codec+scope', 'scoped'],
  ['router', 'router'],
] as const) {
  const us = median(samples[key]);
  console.log(`${name.padEnd(19)}  ${us.toFixed(2).padStart(10)}  ${(us - raw).toFixed(2).padStart(14)}`);
}
console.log(`\n${messages} deliveries per run, no broker, median of ${runs} runs (Node ${process.version})`);
