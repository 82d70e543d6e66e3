// Prints one order's saga as a span tree: a real run of the reference shop (local nats-server, the five
// services in this process) with the OpenTelemetry SDK and an in-memory exporter, then the trace of the first
// completed order. The console exporter prints the same spans one object each; this puts them in a tree.
//   npx tsx --conditions=eventkit-source tools/otel/saga-trace.ts [--orders 4] [--no-durations]
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { Command, InvalidArgumentError } from 'commander';
import { runSaga } from '../../src/reference/system/run-saga.ts';
import { startNatsServer } from '../../src/runtime/nats-server.ts';
import { MESSAGING } from '../../src/runtime/telemetry.ts';
import { spanTree } from './span-tree.ts';

const opts = new Command('saga-trace')
  .description('Run a few orders through the reference saga and print one completed order as a span tree')
  .option(
    '--orders <n>',
    'orders to place',
    (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1)
        throw new InvalidArgumentError('must be a whole number of at least 1');
      return n;
    },
    4,
  )
  .option('--no-durations', 'leave span durations out')
  .parse()
  .opts<{ orders: number; durations: boolean }>();

const spans = new InMemorySpanExporter();
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(
  new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] }),
);
const server = await startNatsServer();
try {
  const result = await runSaga({
    natsUrl: server.url,
    orders: opts.orders,
    processes: false,
    concurrency: 4,
  });
  const all = spans.getFinishedSpans();
  const completed = all
    .filter(
      (s) =>
        s.name === 'process orders.order-completed.v1.{orderId}' &&
        s.attributes[MESSAGING.consumerGroup] === 'notifications--order-completed-v1',
    )
    .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1])[0];
  if (!completed) {
    process.stderr.write(`no order completed (${result.figures.completed} of ${result.figures.orders})\n`);
    process.exitCode = 1;
  } else {
    const traceId = completed.spanContext().traceId;
    const saga = all.filter((s) => s.spanContext().traceId === traceId);
    process.stdout.write(`trace ${traceId}: ${saga.length} spans\n${spanTree(saga, opts)}\n`);
  }
} finally {
  await server.stop();
  trace.disable();
  context.disable();
}
