// OpenTelemetry in the runtime, with the SDK's in-memory exporters around a real saga run (nats-server,
// PGlite, the five services in this process): one order is one trace from orders' OrderPlaced through
// payments, inventory and back to notifications, every consumer span the child of and linked to its
// producer's span; the counters match the demo's own figures.
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  MeterProvider,
  MetricReader,
  type SumMetricData,
} from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSaga, type SagaRunResult } from '../../src/reference/system/run-saga.ts';
import { MESSAGING } from '../../src/runtime/telemetry.ts';
import { type NatsServer, startNatsServer } from '../support/nats-server.ts';

class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const spans = new InMemorySpanExporter();
const reader = new CollectingReader();
let server: NatsServer;
let result: SagaRunResult;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(
    new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] }),
  );
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  server = await startNatsServer();
  result = await runSaga({ natsUrl: server.url, orders: 4, processes: false, concurrency: 4 });
}, 240_000);

afterAll(async () => {
  await server?.stop();
  trace.disable();
  metrics.disable();
  context.disable();
});

const attr = (s: ReadableSpan, key: string) => s.attributes[key] as string | undefined;

describe('one order, one trace', () => {
  it('links every step of a completed order from OrderPlaced to notifications', () => {
    expect(result.invariants.violations).toEqual([]);
    const all = spans.getFinishedSpans();
    const completed = all.find(
      (s) =>
        s.name === 'process orders.order-completed.v1.{orderId}' &&
        attr(s, MESSAGING.consumerGroup) === 'notifications--order-completed-v1',
    );
    expect(completed, 'a notifications span for OrderCompleted').toBeDefined();
    const traceId = completed?.spanContext().traceId;
    const saga = all.filter((s) => s.spanContext().traceId === traceId);
    const names = new Set(saga.map((s) => s.name));
    for (const name of [
      'publish orders.order-placed.v1.ord_',
      'publish orders.order-placed.v2.ord_',
      'process orders.order-placed.v2.{orderId}',
      'process orders.order-placed.v1.{orderId}',
      'publish payments.payment-approved.v1.',
      'process payments.payment-approved.v1.{orderId}',
      'publish orders.order-paid.v1.',
      'process orders.order-paid.v1.{orderId}',
      'publish inventory.stock-reserved.v1.',
      'process inventory.stock-reserved.v1.{orderId}',
      'publish orders.order-completed.v1.',
      'process orders.order-completed.v1.{orderId}',
    ])
      expect(
        [...names].some((n) => n.startsWith(name)),
        name,
      ).toBe(true);
    const groups = new Set(saga.map((s) => attr(s, MESSAGING.consumerGroup)).filter(Boolean));
    for (const durable of [
      'payments--order-placed-v2',
      'notifications--order-placed-v1',
      'orders--payment-approved-v1',
      'inventory--order-paid-v1',
      'orders--stock-reserved-v1',
      'notifications--order-completed-v1',
    ])
      expect(groups).toContain(durable);
    // Consumer spans: child of the producer's span, and linked to it.
    const byId = new Map(saga.map((s) => [s.spanContext().spanId, s]));
    const consumers = saga.filter((s) => s.name.startsWith('process '));
    for (const c of consumers) {
      const parent = c.parentSpanContext?.spanId;
      const producer = parent ? byId.get(parent) : undefined;
      expect(producer?.name.startsWith('publish '), `${c.name} has a publish parent`).toBe(true);
      expect(c.links.map((l) => l.context.spanId)).toEqual([parent]);
      expect(attr(c, MESSAGING.system)).toBe('nats');
      expect(attr(c, MESSAGING.operationType)).toBe('process');
      expect(attr(c, MESSAGING.messageId)).toMatch(/^[0-9A-Z]{26}$/);
    }
    if (process.env.EVENTKIT_PRINT_TRACE) printTree(saga);
    // Publishes made by a handler (through the outbox relay) continue the handler's span.
    const paid = saga.find((s) => s.name.startsWith('publish orders.order-paid.v1.'));
    expect(byId.get(paid?.parentSpanContext?.spanId ?? '')?.name).toBe(
      'process payments.payment-approved.v1.{orderId}',
    );
  });
});

describe('metrics', () => {
  it('counters match the demo figures', async () => {
    const { resourceMetrics } = await reader.collect();
    const sums = new Map<string, number>();
    for (const scope of resourceMetrics.scopeMetrics)
      for (const metric of scope.metrics) {
        if (metric.dataPointType === undefined) continue;
        const points = (metric as SumMetricData).dataPoints ?? [];
        sums.set(
          metric.descriptor.name,
          points.reduce(
            (n, p) => n + (typeof p.value === 'number' ? p.value : (p.value as { count: number }).count),
            0,
          ),
        );
      }
    const f = result.figures;
    expect(sums.get('eventkit.messages.published')).toBe(f.eventsPublished);
    expect(sums.get('eventkit.messages.dead_lettered') ?? 0).toBe(result.broker.deadLetters);
    expect(sums.get('eventkit.inbox.duplicates') ?? 0).toBe(f.duplicatesDropped);
    expect(sums.get('eventkit.messages.acked')).toBeGreaterThanOrEqual(f.eventsPublished);
    expect(sums.get('eventkit.handler.duration')).toBe(sums.get('eventkit.messages.acked'));
  });
});

/** The trace as a text tree (README); `EVENTKIT_PRINT_TRACE=1` prints it. */
function printTree(saga: readonly ReadableSpan[]): void {
  const ids = new Set(saga.map((s) => s.spanContext().spanId));
  const children = new Map<string, ReadableSpan[]>();
  for (const s of saga) {
    const parent = s.parentSpanContext?.spanId;
    const key = parent && ids.has(parent) ? parent : 'root';
    children.set(key, [...(children.get(key) ?? []), s]);
  }
  const lines: string[] = [];
  const walk = (key: string, depth: number) => {
    const list = (children.get(key) ?? []).sort(
      (a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1],
    );
    for (const s of list) {
      const who = attr(s, MESSAGING.consumerGroup) ?? '';
      const ms = (s.duration[0] * 1e3 + s.duration[1] / 1e6).toFixed(1);
      lines.push(`${'  '.repeat(depth)}${s.name}${who ? `  [${who}]` : ''}  ${ms} ms`);
      walk(s.spanContext().spanId, depth + 1);
    }
  };
  walk('root', 0);
  console.log(lines.join('\n'));
}
