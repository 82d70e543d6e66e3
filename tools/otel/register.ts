// Registers the OpenTelemetry SDK for any script: `node --import tsx --import ./tools/otel/register.ts <script>`.
// Spans are recorded (always sampled) and handed to an exporter that drops them; metrics are aggregated by a
// reader nobody scrapes. What it measures: the cost of instrumentation with an SDK, beside none (benchmarks).
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, type SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import { PullMetricReader } from './prometheus.ts';

// code 0 = ExportResultCode.SUCCESS (@opentelemetry/core is not a direct dependency).
const discard: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(
  new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter: discard })] }),
);
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new PullMetricReader()] }));
process.stderr.write('OpenTelemetry SDK registered (spans recorded and dropped, metrics aggregated)\n');
