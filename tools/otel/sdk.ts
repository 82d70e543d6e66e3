// The OpenTelemetry SDK for the demo (`npm run demo -- --otel console|prometheus[:port]`). The runtime only
// talks to @opentelemetry/api; an application registers an SDK like this one. Dev tooling: the SDK packages
// are devDependencies.
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  ConsoleMetricExporter,
  MeterProvider,
  type MetricReader,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, ConsoleSpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import { PullMetricReader, servePrometheus } from './prometheus.ts';

export type OtelSpec = { readonly kind: 'console' } | { readonly kind: 'prometheus'; readonly port: number };

/** The port OpenTelemetry's Prometheus exporter uses by default. */
export const DEFAULT_PROMETHEUS_PORT = 9464;

/** `console`, `prometheus` or `prometheus:<port>`; throws an Error naming what is accepted. */
export function parseOtelSpec(text: string): OtelSpec {
  if (text === 'console') return { kind: 'console' };
  const match = /^prometheus(?::(\d+))?$/.exec(text);
  if (match) {
    const port = match[1] === undefined ? DEFAULT_PROMETHEUS_PORT : Number(match[1]);
    if (port >= 1 && port <= 65_535) return { kind: 'prometheus', port };
  }
  throw new Error(`expected console, prometheus or prometheus:<port 1-65535>, got "${text}"`);
}

export interface RunningOtel {
  /** Where metrics can be scraped (prometheus). */
  readonly metricsUrl?: string;
  /** Export what is buffered (console) and stop. */
  shutdown(): Promise<void>;
}

/**
 * Registers a context manager, a tracer provider and a meter provider globally. console: spans (batched) and
 * metrics (every `intervalMs`, and once at shutdown) on stdout; prometheus: metrics at /metrics on the port,
 * spans are not exported.
 */
export async function startOtel(
  spec: OtelSpec,
  options: { readonly serviceName: string; readonly intervalMs?: number },
): Promise<RunningOtel> {
  const resource = resourceFromAttributes({ 'service.name': options.serviceName });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  let reader: MetricReader;
  let tracerProvider: TracerProvider | undefined;
  let served: { url: string; close(): Promise<void> } | undefined;
  if (spec.kind === 'console') {
    tracerProvider = new TracerProvider({
      resource,
      spanProcessors: [new BatchSpanProcessor({ exporter: new ConsoleSpanExporter() })],
    });
    trace.setGlobalTracerProvider(tracerProvider);
    reader = new PeriodicExportingMetricReader({
      exporter: new ConsoleMetricExporter(),
      exportIntervalMillis: options.intervalMs ?? 10_000,
    });
  } else {
    reader = new PullMetricReader();
    served = await servePrometheus(reader, spec.port);
  }
  const meterProvider = new MeterProvider({ resource, readers: [reader] });
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    ...(served ? { metricsUrl: served.url } : {}),
    async shutdown() {
      await served?.close();
      await tracerProvider?.shutdown();
      await meterProvider.shutdown();
      trace.disable();
      metrics.disable();
      context.disable();
    },
  };
}
