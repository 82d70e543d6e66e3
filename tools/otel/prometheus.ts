// The Prometheus text exposition format (0.0.4) from the metrics SDK's collected data, served at /metrics.
// Written here because @opentelemetry/exporter-prometheus is not installed; this is the subset the runtime's
// instruments need: counters (`_total`), gauges, explicit-bucket histograms. See tools/otel/README.md.
import { createServer, type Server } from 'node:http';
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

/** A pull reader: nothing is collected until something scrapes. */
export class PullMetricReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const UNIT_SUFFIX: Readonly<Record<string, string>> = { s: 'seconds', ms: 'milliseconds', By: 'bytes' };

function metricName(metric: MetricData): string {
  let name = metric.descriptor.name.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/^([0-9])/, '_$1');
  const unit = UNIT_SUFFIX[metric.descriptor.unit];
  if (unit && !name.endsWith(`_${unit}`)) name += `_${unit}`;
  if (metric.dataPointType === DataPointType.SUM && metric.isMonotonic) name += '_total';
  return name;
}

const escapeValue = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function labels(attributes: Readonly<Record<string, unknown>>, extra?: readonly [string, string]): string {
  const pairs = Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k.replace(/[^a-zA-Z0-9_]/g, '_')}="${escapeValue(String(v))}"`);
  if (extra) pairs.push(`${extra[0]}="${extra[1]}"`);
  return pairs.length > 0 ? `{${pairs.join(',')}}` : '';
}

const number = (n: number) =>
  Number.isNaN(n) ? 'NaN' : n === Infinity ? '+Inf' : n === -Infinity ? '-Inf' : String(n);

/** One scrape's text: every metric of every scope, `# HELP` and `# TYPE` first. */
export function toPrometheusText(resourceMetrics: ResourceMetrics): string {
  const out: string[] = [];
  for (const scope of resourceMetrics.scopeMetrics)
    for (const metric of scope.metrics) {
      const name = metricName(metric);
      const help = metric.descriptor.description;
      if (metric.dataPointType === DataPointType.HISTOGRAM) {
        out.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} histogram`);
        for (const p of metric.dataPoints) {
          const { boundaries, counts } = p.value.buckets;
          let cumulative = 0;
          boundaries.forEach((le, i) => {
            cumulative += counts[i] ?? 0;
            out.push(`${name}_bucket${labels(p.attributes, ['le', number(le)])} ${cumulative}`);
          });
          out.push(`${name}_bucket${labels(p.attributes, ['le', '+Inf'])} ${p.value.count}`);
          out.push(`${name}_sum${labels(p.attributes)} ${number(p.value.sum ?? 0)}`);
          out.push(`${name}_count${labels(p.attributes)} ${p.value.count}`);
        }
      } else if (metric.dataPointType === DataPointType.SUM || metric.dataPointType === DataPointType.GAUGE) {
        const type = metric.dataPointType === DataPointType.SUM && metric.isMonotonic ? 'counter' : 'gauge';
        out.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
        for (const p of metric.dataPoints) out.push(`${name}${labels(p.attributes)} ${number(p.value)}`);
      }
      // Exponential histograms: the runtime makes none.
    }
  return `${out.join('\n')}\n`;
}

/** Serves GET /metrics from `reader` on `port` (127.0.0.1 and ::1 by default: the demo is local). */
export async function servePrometheus(
  reader: MetricReader,
  port: number,
  host = 'localhost',
): Promise<{ readonly url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || (request.url ?? '/').split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics is served here\n');
      return;
    }
    reader.collect().then(
      ({ resourceMetrics }) =>
        response
          .writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
          .end(toPrometheusText(resourceMetrics)),
      (error: unknown) =>
        response.writeHead(500, { 'content-type': 'text/plain' }).end(`collect failed: ${String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${bound}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
