// Publisher, envelope and router behaviour on the in-memory broker (the same semantics the
// conformance suite holds JetStream to), including failure paths through a faulty transport.
import { describe, expect, it } from 'vitest';
import {
  CE,
  type ConsumedEvent,
  createEnvelope,
  createMemoryBroker,
  createPublisher,
  createRouter,
  DEADLETTER_STREAM,
  type Delivery,
  type HandlerSpan,
  isPublishError,
  isRuntimeUsageError,
  isSchemaError,
  type Middleware,
  memoryTransport,
  newEventId,
  type OutboundMessage,
  PermanentError,
  readEnvelope,
  retry,
  type Transport,
  TransportError,
  tracing,
} from '../../src/runtime/index.ts';
import { fastConsumer, freshEvent, sleep, type ThingHappened, waitFor } from '../conformance/fixtures.ts';

/** A transport whose publishes fail the way a restarting broker makes them fail. */
function faulty(
  inner: Transport,
  fail: (msg: OutboundMessage, attempt: number) => 'ok' | 'timeout-after-store' | 'no-responders' | 'reject',
): Transport & { attempts: Map<string, number> } {
  const attempts = new Map<string, number>();
  return {
    ...inner,
    features: inner.features,
    kind: inner.kind,
    attempts,
    async publish(msg, options) {
      const n = (attempts.get(msg.id) ?? 0) + 1;
      attempts.set(msg.id, n);
      const mode = fail(msg, n);
      if (mode === 'no-responders') throw new TransportError('no-responders', 'no responders');
      if (mode === 'reject') throw new TransportError('rejected', 'stream rejected it');
      const receipt = await inner.publish(msg, options);
      // Stored, but the PubAck never arrived.
      if (mode === 'timeout-after-store') throw new TransportError('timeout', 'PubAck timed out');
      return receipt;
    },
  };
}

async function setup() {
  const broker = createMemoryBroker();
  const transport = memoryTransport(broker);
  const { descriptor, stream } = freshEvent('unit');
  await transport.ensureStream(stream);
  return { broker, transport, descriptor, stream };
}

describe('envelope', () => {
  it('builds CloudEvents binary-mode headers and the subject from the partition key field', async () => {
    const { descriptor } = await setup();
    const msg = createEnvelope(
      descriptor,
      { thingId: 'th_9', seq: 1, note: '' },
      { source: 'svc', time: new Date('2024-05-01T10:00:00Z') },
    );
    expect(msg.subject).toBe(`${descriptor.context}.thing-happened.v1.th_9`);
    expect(msg.headers).toMatchObject({
      'ce-specversion': '1.0',
      'ce-id': msg.id,
      'ce-source': 'svc',
      'ce-type': 'conformance.v1.ThingHappened',
      'ce-time': '2024-05-01T10:00:00.000Z',
      'ce-subject': 'th_9',
      'content-type': 'application/protobuf',
      'ce-correlationid': msg.id,
    });
    expect(msg.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(msg.headers).not.toHaveProperty('ce-causationid');
    expect(readEnvelope(descriptor, msg).payload).toEqual({ thingId: 'th_9', seq: 1, note: '' });
  });

  it('takes subject parameters from params first and refuses missing or unsafe values', async () => {
    const { descriptor } = await setup();
    expect(
      createEnvelope(descriptor, { thingId: 'a', seq: 1, note: '' }, { params: { thingId: 'b' } }).subject,
    ).toMatch(/\.b$/);
    const problems = (payload: ThingHappened) => {
      try {
        createEnvelope(descriptor, payload);
        return [];
      } catch (e) {
        return isSchemaError(e) ? [...e.problems] : ['not a SchemaError'];
      }
    };
    expect(problems({ thingId: '', seq: 1, note: '' })).toEqual(['subject parameter thingId is empty']);
    expect(problems({ thingId: 'a.b', seq: 1, note: '' })[0]).toContain(
      "contains '.', '*', '>' or whitespace",
    );
    expect(problems({ thingId: 'x', seq: 'one' as unknown as number, note: '' })).toEqual([
      'seq: expected an integer (int64), got string "one"',
    ]);
  });

  it('rejects a message of another type (SchemaError, permanent)', async () => {
    const { descriptor } = await setup();
    const msg = createEnvelope(descriptor, { thingId: 'a', seq: 1, note: '' });
    let error: unknown;
    try {
      readEnvelope(descriptor, { ...msg, headers: { ...msg.headers, [CE.type]: 'other.v1.Thing' } });
    } catch (e) {
      error = e;
    }
    expect(isSchemaError(error)).toBe(true);
  });

  it('makes ids that sort in creation order and never repeat', () => {
    const ids = Array.from({ length: 5000 }, () => newEventId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });
});

describe('publisher', () => {
  it('retries a lost PubAck with the same message id and reports the stored copy as a duplicate', async () => {
    const { transport, descriptor, stream, broker } = await setup();
    const flaky = faulty(transport, (_msg, attempt) =>
      attempt === 1 ? 'timeout-after-store' : attempt === 2 ? 'no-responders' : 'ok',
    );
    const publisher = createPublisher({ transport: flaky, source: 'svc', retry: { initialDelayMs: 5 } });
    const receipt = await publisher.publish(descriptor, { thingId: 'r1', seq: 1, note: '' });
    expect(flaky.attempts.get(receipt.id)).toBe(3);
    expect(receipt).toMatchObject({ duplicate: true, seq: 1 });
    expect(broker.streams.get(stream.name)?.messages.length).toBe(1);
  });

  it('gives up after the configured attempts and never retries a rejection', async () => {
    const { transport, descriptor } = await setup();
    const down = faulty(transport, () => 'no-responders');
    const publisher = createPublisher({
      transport: down,
      source: 'svc',
      retry: { attempts: 3, initialDelayMs: 1 },
    });
    const error = await publisher
      .publish(descriptor, { thingId: 'r2', seq: 1, note: '' })
      .catch((e: unknown) => e);
    expect(isPublishError(error) && error.attempts).toBe(3);
    const rejecting = faulty(transport, () => 'reject');
    const once = await createPublisher({ transport: rejecting, source: 'svc' })
      .publish(descriptor, { thingId: 'r3', seq: 1, note: '' })
      .catch((e: unknown) => e);
    expect(isPublishError(once) && once.attempts).toBe(1);
  });

  it('keeps at most `window` publishes in flight', async () => {
    const { transport, descriptor } = await setup();
    let inFlight = 0;
    let most = 0;
    const slow: Transport = {
      ...transport,
      async publish(msg, options) {
        inFlight++;
        most = Math.max(most, inFlight);
        await sleep(2);
        inFlight--;
        return transport.publish(msg, options);
      },
    };
    const publisher = createPublisher({ transport: slow, source: 'svc', window: 4 });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        publisher.publish(descriptor, { thingId: `w${i}`, seq: i, note: '' }),
      ),
    );
    expect(most).toBe(4);
    expect(publisher.inFlight).toBe(0);
  });

  it('rejects an invalid payload before anything is sent', async () => {
    const { transport, descriptor } = await setup();
    const spy = faulty(transport, () => 'ok');
    const error = await createPublisher({ transport: spy, source: 'svc' })
      .publish(descriptor, { thingId: 'x', seq: 1.5, note: '' })
      .catch((e: unknown) => e);
    expect(isSchemaError(error)).toBe(true);
    expect(spy.attempts.size).toBe(0);
  });
});

describe('router', () => {
  it('passes correlation, causation and trace from a consumed event to the events its handler publishes', async () => {
    const { transport, descriptor } = await setup();
    const { descriptor: followUp, stream: followStream } = freshEvent('follow');
    await transport.ensureStream(followStream);
    const publisher = createPublisher({ transport, source: 'svc' });
    const seen: ConsumedEvent<ThingHappened>[] = [];
    const router = createRouter({ transport, service: 'chain' })
      .handle(descriptor, fastConsumer, async (e) => {
        await publisher.publish(followUp, {
          thingId: e.payload.thingId,
          seq: e.payload.seq + 1,
          note: 'follow-up',
        });
      })
      .handle(followUp, fastConsumer, async (e) => void seen.push(e));
    await router.start();
    const first = await publisher.publish(
      descriptor,
      { thingId: 'c1', seq: 1, note: '' },
      { correlationId: 'saga-7', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    );
    await waitFor('follow-up', () => seen.length === 1);
    const e = seen[0] as ConsumedEvent<ThingHappened>;
    expect(e).toMatchObject({ correlationId: 'saga-7', causationId: first.id });
    expect(e.traceparent).toMatch(
      /^00-4bf92f3577b34da6a3ce929d0e0e4736-(?!00f067aa0ba902b7)[0-9a-f]{16}-01$/,
    );
    await router.drain();
  });

  it('fails a handler that runs past its timeout (transient), aborts its signal and retries', async () => {
    const { transport, descriptor } = await setup();
    const attempts: { count: number; aborted: boolean }[] = [];
    const router = createRouter({ transport, service: 'slow' }).handle(
      descriptor,
      { ...fastConsumer, timeoutMs: 60 },
      async (e, ctx) => {
        const record = { count: e.deliveryCount, aborted: false };
        attempts.push(record);
        if (e.deliveryCount === 1) {
          await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
          record.aborted = ctx.signal.aborted;
        }
      },
    );
    await router.start();
    await createPublisher({ transport, source: 'svc' }).publish(descriptor, {
      thingId: 't',
      seq: 1,
      note: '',
    });
    await waitFor('second attempt', () => router.stats().acked === 1);
    expect(attempts).toEqual([
      { count: 1, aborted: true },
      { count: 2, aborted: false },
    ]);
    expect(router.stats().retried).toBe(1);
    await router.drain();
  });

  it('settles an ordered retry by its own outcome, not by the late outcome of the attempt that timed out', async () => {
    const { transport, descriptor } = await setup();
    const gate = () => {
      let open: () => void = () => undefined;
      const opened = new Promise<void>((resolve) => {
        open = resolve;
      });
      return { open: () => open(), opened };
    };
    const first = gate();
    const retry = gate();
    let firstFinished = false;
    const calls: number[] = [];
    const router = createRouter({ transport, service: 'late' }).handle(
      descriptor,
      { ...fastConsumer, ordered: true, timeoutMs: 1_000 },
      async (e) => {
        calls.push(e.deliveryCount);
        if (e.deliveryCount === 1) {
          // Ignores its abort signal: it finishes only when the test lets it, while the retry runs.
          await first.opened;
          firstFinished = true;
          return;
        }
        await retry.opened;
      },
    );
    await router.start();
    await createPublisher({ transport, source: 'svc' }).publish(descriptor, {
      thingId: 't',
      seq: 1,
      note: '',
    });
    await waitFor('the retry in place after the timeout', () => calls.length === 2);
    first.open();
    await waitFor('the timed-out attempt to finish', () => firstFinished);
    await sleep(20);
    // The first attempt's success came after its timeout: it must not ack the message the retry still runs.
    expect(router.stats()).toMatchObject({ acked: 0, inFlight: 1, retried: 1 });
    retry.open();
    await waitFor('the retry settled', () => router.stats().acked === 1);
    expect(calls).toEqual([1, 2]);
    expect(router.stats()).toMatchObject({ acked: 1, inFlight: 0, retried: 1, deadLettered: 0 });
    await router.drain();
  });

  it('runs middleware outermost first, route middleware inside router middleware, and can retry in process', async () => {
    const { transport, descriptor } = await setup();
    const trail: string[] = [];
    const mark =
      (name: string): Middleware =>
      (next) =>
      async (msg) => {
        trail.push(`>${name}`);
        try {
          await next(msg);
        } finally {
          trail.push(`<${name}`);
        }
      };
    let calls = 0;
    const router = createRouter({ transport, service: 'mw', middleware: [mark('outer')] })
      .use(mark('used'))
      .handle(
        descriptor,
        { ...fastConsumer, middleware: [mark('route'), retry({ attempts: 3, delayMs: 1 })] },
        async (e) => {
          calls++;
          trail.push(`handler#${e.deliveryCount}`);
          if (calls < 3) throw new Error('blip');
        },
      );
    await router.start();
    await createPublisher({ transport, source: 'svc' }).publish(descriptor, {
      thingId: 'm',
      seq: 1,
      note: '',
    });
    await waitFor('acked', () => router.stats().acked === 1);
    expect(trail).toEqual([
      '>outer',
      '>used',
      '>route',
      'handler#1',
      'handler#1',
      'handler#1',
      '<route',
      '<used',
      '<outer',
    ]);
    expect(router.stats().retried).toBe(0);
    await router.drain();
  });

  it('reports a span per handled message with its outcome and trace', async () => {
    const { transport, descriptor } = await setup();
    const spans: HandlerSpan[] = [];
    const router = createRouter({
      transport,
      service: 'traced',
      middleware: [tracing((span) => spans.push(span))],
    }).handle(descriptor, fastConsumer, async (e) => {
      if (e.deliveryCount === 1) throw new Error('first try fails');
    });
    await router.start();
    const receipt = await createPublisher({ transport, source: 'svc' }).publish(descriptor, {
      thingId: 's',
      seq: 1,
      note: '',
    });
    await waitFor('two spans', () => spans.length === 2);
    expect(spans.map((s) => [s.id, s.outcome, s.deliveryCount, s.error])).toEqual([
      [receipt.id, 'error', 1, 'Error: first try fails'],
      [receipt.id, 'ok', 2, undefined],
    ]);
    expect(spans[0]?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await router.drain();
  });

  it('never drops a message it could not dead-letter: it is redelivered instead', async () => {
    const { transport, descriptor } = await setup();
    let dlqFailures = 0;
    const noDlq = faulty(transport, (msg) => {
      if (msg.subject.startsWith('deadletter.') && dlqFailures < 2) {
        dlqFailures++;
        return 'reject';
      }
      return 'ok';
    });
    const deliveries: number[] = [];
    const router = createRouter({ transport: noDlq, service: 'nodlq' }).handle(
      descriptor,
      { ...fastConsumer, maxDeliver: 5, backoffMs: [10, 10] },
      async (e) => {
        deliveries.push(e.deliveryCount);
        throw new PermanentError('bad event');
      },
    );
    await router.start();
    await createPublisher({ transport, source: 'svc' }).publish(descriptor, {
      thingId: 'p',
      seq: 1,
      note: '',
    });
    await waitFor('dead-lettered on the third try', () => router.stats().deadLettered === 1);
    expect(deliveries).toEqual([1, 2, 3]);
    const dlq: Delivery[] = [];
    const sub = await transport.consume(
      {
        stream: DEADLETTER_STREAM,
        durable: 'check',
        filterSubject: 'deadletter.nodlq.>',
        ackWaitMs: 1000,
        maxDeliver: 2,
        backoffMs: [500],
        maxAckPending: 10,
        deliverPolicy: 'all',
      },
      (d) => void dlq.push(d),
    );
    await waitFor('one dead letter', () => dlq.length === 1);
    await sub.stop();
    await router.drain();
  });

  it('refuses settings that would redeliver forever or consume what is not stored', async () => {
    const { transport, descriptor } = await setup();
    const usage = (f: () => unknown) => {
      try {
        f();
        return 'no error';
      } catch (e) {
        return isRuntimeUsageError(e) ? e.message : `other: ${e}`;
      }
    };
    const router = createRouter({ transport, service: 'strict' });
    expect(usage(() => router.handle(descriptor, { backoffMs: [] }, async () => {}))).toContain(
      'backoff must be set',
    );
    expect(
      usage(() => router.handle(descriptor, { maxDeliver: 2, backoffMs: [1, 2] }, async () => {})),
    ).toContain('maxDeliver (2) greater than its length (2)');
    const { stream: _s, ...query } = descriptor;
    expect(usage(() => router.handle({ ...query, kind: 'query' }, {}, async () => {}))).toContain(
      'only stored events can be consumed',
    );
    router.handle(descriptor, {}, async () => {});
    expect(usage(() => router.handle(descriptor, {}, async () => {}))).toContain(
      'two handlers for durable strict--thing-happened-v1',
    );
    expect(usage(() => createRouter({ transport, service: 'a.b' }))).toContain('non-empty subject token');
  });
});
