// ONE conformance suite every transport must pass (watermill style). Each transport's test file
// supplies a harness; cases a transport cannot do are skipped through its `features`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConsumedEvent,
  type ConsumeSpec,
  createPublisher,
  createRequester,
  createResponder,
  createRouter,
  DEADLETTER_STREAM,
  type Delivery,
  deadLetterStreamSpec,
  isRequestFailedError,
  isTransportError,
  PermanentError,
  readDeadLetter,
  TransientError,
  type Transport,
  type TransportFeatures,
} from '../../src/runtime/index.ts';
import {
  fastConsumer,
  freshEvent,
  requestDescriptors,
  sleep,
  type ThingHappened,
  waitFor,
} from './fixtures.ts';

export interface TransportHarness {
  readonly features: TransportFeatures;
  /** A new connection to the one broker of this suite run. */
  connect(): Promise<Transport>;
  /** Kill the broker hard and start it again with the same storage (only with features.brokerRestart). */
  restartBroker?(): Promise<void>;
  teardown(): Promise<void>;
}

const encoder = new TextEncoder();

function rawSpec(stream: string, filterSubject: string, overrides: Partial<ConsumeSpec> = {}): ConsumeSpec {
  return {
    stream,
    durable: `raw-${Math.random().toString(36).slice(2, 8)}`,
    filterSubject,
    ackWaitMs: 2_000,
    maxDeliver: 4,
    backoffMs: [60, 120, 240],
    maxAckPending: 100,
    deliverPolicy: 'all',
    ...overrides,
  };
}

/** Collects deliveries of a raw consumer. */
function collector() {
  const deliveries: Delivery[] = [];
  return { deliveries, listener: (d: Delivery) => void deliveries.push(d) };
}

export function transportConformance(name: string, makeHarness: () => Promise<TransportHarness>): void {
  describe(`transport conformance: ${name}`, () => {
    let harness: TransportHarness;
    let transport: Transport;
    const opened: Transport[] = [];
    const connect = async () => {
      const t = await harness.connect();
      opened.push(t);
      return t;
    };

    beforeAll(async () => {
      harness = await makeHarness();
      transport = await connect();
    });
    afterAll(async () => {
      for (const t of opened) await t.close().catch(() => undefined);
      await harness?.teardown();
    });

    it('round-trip keeps bytes and headers', async () => {
      const { descriptor, stream } = freshEvent('roundtrip');
      await transport.ensureStream(stream);
      const data = new Uint8Array([0, 1, 2, 254, 255, 10, 13]);
      const headers = {
        'ce-id': 'evt-1',
        'x-custom': 'välue with spaces',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      };
      const receipt = await transport.publish({
        subject: `${descriptor.context}.thing-happened.v1.t1`,
        headers,
        data,
        id: 'evt-1',
        type: descriptor.type,
      });
      expect(receipt).toMatchObject({ id: 'evt-1', stream: stream.name, seq: 1, duplicate: false });
      const c = collector();
      const sub = await transport.consume(rawSpec(stream.name, descriptor.subjectFilter), c.listener);
      await waitFor('delivery', () => c.deliveries.length === 1);
      const d = c.deliveries[0] as Delivery;
      expect(Array.from(d.data)).toEqual(Array.from(data));
      expect(d.headers).toMatchObject({ ...headers, 'Nats-Msg-Id': 'evt-1' });
      expect(d).toMatchObject({
        subject: `${descriptor.context}.thing-happened.v1.t1`,
        deliveryCount: 1,
        streamSequence: 1,
        stream: stream.name,
      });
      d.ack();
      await sub.stop();
    });

    it('typed round-trip through publisher and router keeps payload, ids and correlation', async () => {
      const { descriptor, stream } = freshEvent('typed');
      await transport.ensureStream(stream);
      const publisher = createPublisher({ transport, source: 'producer' });
      const seen: ConsumedEvent<ThingHappened>[] = [];
      const router = createRouter({ transport, service: 'typed' }).handle(
        descriptor,
        fastConsumer,
        async (e) => {
          seen.push(e);
        },
      );
      await router.start();
      const payload: ThingHappened = {
        thingId: 'th_1',
        seq: 9_007_199_254_740_991,
        note: 'ünïcode ✓',
        at: { seconds: 1_700_000_000, nanos: 123_000_000 },
      };
      const receipt = await publisher.publish(descriptor, payload, { correlationId: 'corr-1' });
      await waitFor('typed delivery', () => seen.length === 1);
      const e = seen[0] as ConsumedEvent<ThingHappened>;
      expect(e.payload).toEqual(payload);
      expect(e).toMatchObject({
        id: receipt.id,
        type: descriptor.type,
        source: 'producer',
        correlationId: 'corr-1',
        params: { thingId: 'th_1' },
      });
      expect(e.headers['ce-specversion']).toBe('1.0');
      expect(e.headers['content-type']).toBe('application/protobuf');
      expect(e.headers['Nats-Msg-Id']).toBe(receipt.id);
      await router.drain();
    });

    it('ack stops redelivery', async () => {
      const { descriptor, stream } = freshEvent('ack');
      await transport.ensureStream(stream);
      await transport.publish({
        subject: `${descriptor.context}.thing-happened.v1.a`,
        headers: {},
        data: encoder.encode('x'),
        id: 'a1',
        type: 't',
      });
      const c = collector();
      const spec = rawSpec(stream.name, descriptor.subjectFilter, { backoffMs: [50], maxDeliver: 5 });
      const sub = await transport.consume(spec, (d) => {
        c.listener(d);
        d.ack();
      });
      await waitFor('first delivery', () => c.deliveries.length === 1);
      // A second message proves the consumer is still live after the ack wait has long passed.
      await sleep(300);
      await transport.publish({
        subject: `${descriptor.context}.thing-happened.v1.a`,
        headers: {},
        data: encoder.encode('y'),
        id: 'a2',
        type: 't',
      });
      await waitFor('second message', () => c.deliveries.length >= 2);
      expect(c.deliveries.map((d) => [d.streamSequence, d.deliveryCount])).toEqual([
        [1, 1],
        [2, 1],
      ]);
      await waitFor(
        'nothing pending',
        async () => (await transport.consumerState(stream.name, spec.durable as string))?.ackPending === 0,
      );
      await sub.stop();
    });

    it('nak redelivers after its delay; an ack timeout redelivers with the backoff', async ({ skip }) => {
      if (!harness.features.delayedRedelivery) skip();
      const { descriptor, stream } = freshEvent('nak');
      await transport.ensureStream(stream);
      const subject = `${descriptor.context}.thing-happened.v1.n`;
      await transport.publish({ subject, headers: {}, data: encoder.encode('first'), id: 'n1', type: 't' });
      const order: string[] = [];
      let second = false;
      const sub = await transport.consume(
        rawSpec(stream.name, descriptor.subjectFilter, { backoffMs: [100, 100, 100], maxDeliver: 4 }),
        (d) => {
          const text = new TextDecoder().decode(d.data);
          order.push(`${text}#${d.deliveryCount}`);
          if (text === 'first' && d.deliveryCount === 1) {
            d.nak(700);
            // Published after the nak: must be delivered before the delayed redelivery.
            if (!second) {
              second = true;
              void transport.publish({
                subject,
                headers: {},
                data: encoder.encode('second'),
                id: 'n2',
                type: 't',
              });
            }
          } else if (text === 'second' && d.deliveryCount === 1) {
            // Not settled: the ack wait (backoff[0]) runs out and it comes back as delivery 2.
          } else d.ack();
        },
      );
      await waitFor('redeliveries', () => order.includes('first#2') && order.includes('second#2'));
      expect(order.indexOf('second#1')).toBeLessThan(order.indexOf('first#2'));
      expect(order.indexOf('second#2')).toBeLessThan(order.indexOf('first#2'));
      await sub.stop();
    });

    it('stops redelivering after max deliver and dead-letters the last failure', async () => {
      const { descriptor, stream } = freshEvent('maxdeliver');
      await transport.ensureStream(stream);
      const publisher = createPublisher({ transport, source: 'producer' });
      const attempts: number[] = [];
      const router = createRouter({ transport, service: 'maxdel' }).handle(
        descriptor,
        { ...fastConsumer, maxDeliver: 3 },
        async (e) => {
          attempts.push(e.deliveryCount);
          throw new TransientError('still broken');
        },
      );
      await router.start();
      const receipt = await publisher.publish(descriptor, { thingId: 'm1', seq: 1, note: 'n' });
      await waitFor('dead letter', () => router.stats().deadLettered === 1);
      expect(attempts).toEqual([1, 2, 3]);
      const dlq = collector();
      const sub = await transport.consume(rawSpec(DEADLETTER_STREAM, `deadletter.maxdel.>`), dlq.listener);
      await waitFor('dead letter message', () => dlq.deliveries.length === 1);
      const info = readDeadLetter((dlq.deliveries[0] as Delivery).headers);
      expect(info).toMatchObject({
        reason: 'max-deliver',
        deliveryCount: 3,
        stream: stream.name,
        sequence: 1,
        service: 'maxdel',
        consumer: 'maxdel--thing-happened-v1',
      });
      expect(info?.error).toContain('still broken');
      expect((dlq.deliveries[0] as Delivery).headers['ce-id']).toBe(receipt.id);
      await sub.stop();
      await router.drain();
      await sleep(250);
      expect(attempts).toEqual([1, 2, 3]);
    });

    it('term dead-letters permanent failures and undecodable bytes with original bytes and headers', async () => {
      const { descriptor, stream } = freshEvent('term');
      await transport.ensureStream(stream);
      await transport.ensureStream(deadLetterStreamSpec(), { update: false });
      const publisher = createPublisher({ transport, source: 'producer' });
      let calls = 0;
      const router = createRouter({ transport, service: 'termsvc' }).handle(
        descriptor,
        fastConsumer,
        async (e) => {
          calls++;
          if (e.payload.note === 'poison') throw new PermanentError('cannot ever handle this');
        },
      );
      await router.start();
      const poison = await publisher.publish(descriptor, { thingId: 'p1', seq: 1, note: 'poison' });
      const garbage = new Uint8Array([0xff, 0xff, 0xff, 0x07]);
      await transport.publish({
        subject: `${descriptor.context}.thing-happened.v1.g1`,
        headers: { 'ce-id': 'garbage-1', 'ce-type': descriptor.type, 'x-trace': 'keep-me' },
        data: garbage,
        id: 'garbage-1',
        type: descriptor.type,
      });
      await waitFor('two dead letters', () => router.stats().deadLettered === 2);
      expect(calls).toBe(1); // the garbage never reached the handler
      const dlq = collector();
      // Only this test's dead letters (a retried test leaves the earlier attempt's in the shared stream), and
      // matched by subject: the two failures are dead-lettered concurrently, in either order.
      const deadLetterPrefix = `deadletter.termsvc.${descriptor.context}.thing-happened.v1`;
      const sub = await transport.consume(rawSpec(DEADLETTER_STREAM, `${deadLetterPrefix}.>`), dlq.listener);
      await waitFor('dead letters', () => dlq.deliveries.length === 2);
      const first = dlq.deliveries.find((d) => d.subject === `${deadLetterPrefix}.p1`);
      const second = dlq.deliveries.find((d) => d.subject === `${deadLetterPrefix}.g1`);
      if (!first || !second)
        throw new Error(`unexpected dead letters: ${dlq.deliveries.map((d) => d.subject)}`);
      expect(readDeadLetter(first.headers)).toMatchObject({
        reason: 'permanent',
        deliveryCount: 1,
        sequence: 1,
      });
      expect(first.headers['ce-id']).toBe(poison.id);
      expect(descriptor.codec.decode(first.data)).toMatchObject({ note: 'poison' });
      expect(Array.from(second.data)).toEqual(Array.from(garbage));
      expect(second.headers['x-trace']).toBe('keep-me');
      expect(readDeadLetter(second.headers)?.error).toMatch(/DecodeError/);
      // Terminated, not left to time out: nothing comes back after the ack wait (backoff[0] = 100 ms).
      // (nats-server before 2.10 ignores "+TERM <reason>", so a reason on term left the message pending.)
      await sleep(800);
      expect({ calls, deadLettered: router.stats().deadLettered }).toEqual({ calls: 1, deadLettered: 2 });
      await sub.stop();
      await router.drain();
    });

    it('keeps order per subject while running subjects in parallel (ordered routes)', async () => {
      const { descriptor, stream } = freshEvent('order');
      await transport.ensureStream(stream);
      const publisher = createPublisher({ transport, source: 'producer', window: 64 });
      const perSubject = new Map<string, number[]>();
      let running = 0;
      let maxRunning = 0;
      const failedOnce = new Set<string>();
      const router = createRouter({ transport, service: 'ordered' }).handle(
        descriptor,
        { ...fastConsumer, ordered: true, maxDeliver: 5, backoffMs: [100, 200] },
        async (e) => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          try {
            await sleep(1 + (e.payload.seq % 4) * 3);
            // A transient failure in the middle of a subject must not let later events overtake it.
            const key = `${e.params.thingId}:${e.payload.seq}`;
            if (e.payload.seq % 7 === 3 && !failedOnce.has(key)) {
              failedOnce.add(key);
              throw new TransientError('blip');
            }
            // At-least-once: a redelivery racing an ack may repeat an event; order is about first handling.
            const list = perSubject.get(e.params.thingId as string) ?? [];
            if (!list.includes(e.payload.seq)) list.push(e.payload.seq);
            perSubject.set(e.params.thingId as string, list);
          } finally {
            running--;
          }
        },
      );
      await router.start();
      const subjects = ['s1', 's2', 's3', 's4'];
      const sends: Promise<unknown>[] = [];
      for (let seq = 1; seq <= 15; seq++)
        for (const s of subjects) sends.push(publisher.publish(descriptor, { thingId: s, seq, note: '' }));
      await Promise.all(sends);
      await waitFor('all handled', () => [...perSubject.values()].reduce((n, l) => n + l.length, 0) === 60);
      for (const s of subjects)
        expect(perSubject.get(s)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
      expect(maxRunning).toBeGreaterThan(1);
      await router.drain();
    });

    it("keeps a long-running handler's message: auto heartbeat, or working() when it is off", async () => {
      const { descriptor, stream } = freshEvent('long');
      await transport.ensureStream(stream);
      const publisher = createPublisher({ transport, source: 'producer' });
      // With a backoff the broker's ack wait is backoff[0] = 100 ms; each handler runs 6 times longer.
      const runs: string[] = [];
      const auto = createRouter({ transport, service: 'long-auto' }).handle(
        descriptor,
        fastConsumer,
        async (e) => {
          runs.push(`auto#${e.deliveryCount}`);
          await sleep(600);
        },
      );
      const manual = createRouter({ transport, service: 'long-manual' }).handle(
        descriptor,
        { ...fastConsumer, heartbeat: false },
        async (e, ctx) => {
          runs.push(`manual#${e.deliveryCount}`);
          for (let i = 0; i < 12; i++) {
            await sleep(50);
            ctx.working();
          }
        },
      );
      await auto.start();
      await manual.start();
      await publisher.publish(descriptor, { thingId: 'l1', seq: 1, note: '' });
      await waitFor('both handled', () => auto.stats().acked === 1 && manual.stats().acked === 1);
      await sleep(300);
      expect(runs.sort()).toEqual(['auto#1', 'manual#1']);
      await auto.drain();
      await manual.drain();
    });

    it('delivers each message to one of the instances sharing a durable (competing consumers)', async ({
      skip,
    }) => {
      if (!harness.features.competingConsumers) skip();
      const { descriptor, stream } = freshEvent('compete');
      await transport.ensureStream(stream);
      const publisher = createPublisher({ transport, source: 'producer' });
      const first: string[] = [];
      const second: string[] = [];
      const routers = await Promise.all(
        [0, 1].map(async (i) => {
          const router = createRouter({ transport: await connect(), service: 'workers' }).handle(
            descriptor,
            { ...fastConsumer, concurrency: 1, prefetch: 1 },
            async (e) => {
              (i === 0 ? first : second).push(e.id);
              await sleep(3);
            },
          );
          await router.start();
          return router;
        }),
      );
      const ids = await Promise.all(
        Array.from({ length: 40 }, (_, n) =>
          publisher.publish(descriptor, { thingId: `w${n}`, seq: n, note: '' }).then((r) => r.id),
        ),
      );
      await waitFor('all handled', () => first.length + second.length >= 40);
      await sleep(200);
      const all = [...first, ...second];
      expect(all.sort()).toEqual([...ids].sort());
      expect(first.length).toBeGreaterThan(0);
      expect(second.length).toBeGreaterThan(0);
      for (const r of routers) await r.drain();
    });

    it('drops a duplicate message id inside the duplicate window', async ({ skip }) => {
      if (!harness.features.deduplication) skip();
      const { descriptor, stream } = freshEvent('dedupe');
      await transport.ensureStream(stream);
      const publisher = createPublisher({ transport, source: 'producer' });
      const first = await publisher.publish(
        descriptor,
        { thingId: 'd1', seq: 1, note: 'one' },
        { id: 'same-id' },
      );
      const again = await publisher.publish(
        descriptor,
        { thingId: 'd1', seq: 1, note: 'one' },
        { id: 'same-id' },
      );
      const other = await publisher.publish(descriptor, { thingId: 'd1', seq: 2, note: 'two' });
      expect(first.duplicate).toBe(false);
      expect(again).toMatchObject({ duplicate: true, seq: first.seq });
      expect(other.seq).toBe((first.seq ?? 0) + 1);
      const seen: string[] = [];
      const router = createRouter({ transport, service: 'dedupe' }).handle(
        descriptor,
        fastConsumer,
        async (e) => void seen.push(e.id),
      );
      await router.start();
      await waitFor('both', () => seen.length === 2);
      await sleep(100);
      expect(seen).toEqual(['same-id', other.id]);
      await router.drain();
    });

    it('lets a late subscriber read history (all, new, from sequence, from time; ephemeral replay)', async () => {
      const { descriptor, stream } = freshEvent('history');
      await transport.ensureStream(stream);
      const publisher = createPublisher({ transport, source: 'producer' });
      for (let seq = 1; seq <= 5; seq++) await publisher.publish(descriptor, { thingId: 'h', seq, note: '' });
      await sleep(20);
      const midTime = new Date().toISOString();
      await sleep(20);
      await publisher.publish(descriptor, { thingId: 'h', seq: 6, note: '' });
      const runs = {
        all: [] as number[],
        new: [] as number[],
        seq: [] as number[],
        time: [] as number[],
        replay: [] as number[],
      };
      const routers = [
        createRouter({ transport, service: 'late-all' }).handle(
          descriptor,
          fastConsumer,
          async (e) => void runs.all.push(e.payload.seq),
        ),
        createRouter({ transport, service: 'late-new' }).handle(
          descriptor,
          { ...fastConsumer, deliverPolicy: 'new' },
          async (e) => void runs.new.push(e.payload.seq),
        ),
        createRouter({ transport, service: 'late-seq' }).handle(
          descriptor,
          { ...fastConsumer, deliverPolicy: { startSequence: 4 } },
          async (e) => void runs.seq.push(e.payload.seq),
        ),
        createRouter({ transport, service: 'late-time' }).handle(
          descriptor,
          { ...fastConsumer, deliverPolicy: { startTime: midTime } },
          async (e) => void runs.time.push(e.payload.seq),
        ),
        createRouter({ transport, service: 'late-tool' }).handle(
          descriptor,
          { ...fastConsumer, ephemeral: true },
          async (e) => void runs.replay.push(e.payload.seq),
        ),
      ];
      for (const r of routers) await r.start();
      await publisher.publish(descriptor, { thingId: 'h', seq: 7, note: '' });
      await waitFor(
        'history read',
        () =>
          runs.all.length === 7 &&
          runs.new.length === 1 &&
          runs.seq.length === 4 &&
          runs.time.length === 2 &&
          runs.replay.length === 7,
      );
      expect(runs).toEqual({
        all: [1, 2, 3, 4, 5, 6, 7],
        new: [7],
        seq: [4, 5, 6, 7],
        time: [6, 7],
        replay: [1, 2, 3, 4, 5, 6, 7],
      });
      for (const r of routers) await r.drain();
      // The ephemeral consumer goes away with its router; the durable one stays.
      await waitFor(
        'ephemeral gone',
        async () => (await transport.consumerState(stream.name, 'late-all--thing-happened-v1')) !== undefined,
      );
    });

    it('drain lets in-flight handlers finish and ack, and a durable resumes where it stopped', async () => {
      const { descriptor, stream } = freshEvent('drain');
      await transport.ensureStream(stream);
      const publisher = createPublisher({ transport, source: 'producer' });
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const started: number[] = [];
      const finished: number[] = [];
      const router = createRouter({ transport, service: 'drainer' }).handle(
        descriptor,
        { ...fastConsumer, concurrency: 2 },
        async (e) => {
          started.push(e.payload.seq);
          await gate;
          finished.push(e.payload.seq);
        },
      );
      await router.start();
      for (let seq = 1; seq <= 6; seq++)
        await publisher.publish(descriptor, { thingId: `d${seq}`, seq, note: '' });
      await waitFor('two in flight', () => started.length === 2);
      let drained = false;
      const draining = router.drain().then(() => {
        drained = true;
      });
      await sleep(100);
      expect(drained).toBe(false);
      release();
      await draining;
      expect(finished.sort()).toEqual(started.sort());
      // A new instance picks up exactly the rest: acked ones never come back, given-back ones are not lost.
      const rest: number[] = [];
      const next = createRouter({ transport, service: 'drainer' }).handle(
        descriptor,
        fastConsumer,
        async (e) => void rest.push(e.payload.seq),
      );
      await next.start();
      await waitFor('rest handled', () => rest.length + finished.length >= 6);
      await sleep(100);
      expect([...finished, ...rest].sort()).toEqual([1, 2, 3, 4, 5, 6]);
      await next.drain();
    });

    it('answers request/reply and reports handler errors and missing responders', async () => {
      const { request, reply } = requestDescriptors(name);
      const responder = createResponder({ transport, service: 'things' }).respond(
        request,
        reply,
        async (req) => {
          if (req.payload.thingId === 'bad') throw new PermanentError('no such thing');
          return { thingId: req.payload.thingId, note: `hello ${req.payload.thingId}` };
        },
      );
      await responder.start();
      const requester = createRequester({ transport: await connect(), source: 'asker' });
      await expect(requester.request(request, reply, { thingId: 't1' })).resolves.toEqual({
        thingId: 't1',
        note: 'hello t1',
      });
      const failure = await requester.request(request, reply, { thingId: 'bad' }).catch((e: unknown) => e);
      expect(isRequestFailedError(failure) && failure.permanent).toBe(true);
      await responder.drain();
      const missing = await requester
        .request(request, reply, { thingId: 't1' }, { timeoutMs: 500 })
        .catch((e: unknown) => e);
      expect(isTransportError(missing)).toBe(true);
    });

    it('survives a broker restart (kill -9) without losing stored or in-flight events', async ({ skip }) => {
      if (!harness.features.brokerRestart || !harness.restartBroker) skip();
      const { descriptor, stream } = freshEvent('restart');
      await transport.ensureStream(stream);
      const publisher = createPublisher({
        transport,
        source: 'producer',
        retry: { attempts: 40, initialDelayMs: 100, maxDelayMs: 500 },
        timeoutMs: 1_000,
      });
      const seen = new Set<number>();
      const router = createRouter({ transport: await connect(), service: 'restarter' }).handle(
        descriptor,
        fastConsumer,
        async (e) => {
          seen.add(e.payload.seq);
        },
      );
      await router.start();
      for (let seq = 1; seq <= 5; seq++) await publisher.publish(descriptor, { thingId: 'r', seq, note: '' });
      await waitFor('first half', () => seen.size === 5);
      await harness.restartBroker?.();
      const receipts = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          publisher.publish(descriptor, { thingId: 'r', seq: 6 + i, note: '' }),
        ),
      );
      expect(receipts.every((r) => r.stream === stream.name)).toBe(true);
      await waitFor('second half after restart', () => seen.size === 10, 30_000);
      expect([...seen].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      await router.drain();
    });
  });
}
