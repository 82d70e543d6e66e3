// The demo's Prometheus endpoint: the runtime's instruments on a real MeterProvider, scraped over HTTP in the
// text exposition format; and the demo's --otel flag refusing what it cannot do, before starting anything.
import { spawnSync } from 'node:child_process';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { PullMetricReader, servePrometheus } from '../../tools/otel/prometheus.ts';
import { parseOtelSpec } from '../../tools/otel/sdk.ts';

const reader = new PullMetricReader();
const provider = new MeterProvider({ readers: [reader] });
afterAll(() => provider.shutdown());

describe('prometheus exposition', () => {
  it('serves counters, gauges and histograms at /metrics', async () => {
    const meter = provider.getMeter('test');
    meter.createCounter('eventkit.messages.acked').add(3, { 'messaging.consumer.group.name': 'a--b "c"' });
    meter
      .createHistogram('eventkit.handler.duration', {
        unit: 's',
        advice: { explicitBucketBoundaries: [0.1, 1] },
      })
      .record(0.5, { 'cloudevents.event_type': 'x.v1.Y' });
    meter.createObservableGauge('eventkit.outbox.backlog').addCallback((r) => r.observe(7, { o: 'orders' }));
    const served = await servePrometheus(reader, 0, '127.0.0.1');
    try {
      const text = await (await fetch(served.url)).text();
      expect(text).toContain('# TYPE eventkit_messages_acked_total counter');
      expect(text).toContain('eventkit_messages_acked_total{messaging_consumer_group_name="a--b \\"c\\""} 3');
      expect(text).toContain('# TYPE eventkit_handler_duration_seconds histogram');
      expect(text).toContain(
        'eventkit_handler_duration_seconds_bucket{cloudevents_event_type="x.v1.Y",le="0.1"} 0',
      );
      expect(text).toContain(
        'eventkit_handler_duration_seconds_bucket{cloudevents_event_type="x.v1.Y",le="1"} 1',
      );
      expect(text).toContain(
        'eventkit_handler_duration_seconds_bucket{cloudevents_event_type="x.v1.Y",le="+Inf"} 1',
      );
      expect(text).toContain('eventkit_handler_duration_seconds_sum{cloudevents_event_type="x.v1.Y"} 0.5');
      expect(text).toContain('# TYPE eventkit_outbox_backlog gauge');
      expect(text).toContain('eventkit_outbox_backlog{o="orders"} 7');
      expect((await fetch(served.url.replace('/metrics', '/'))).status).toBe(404);
    } finally {
      await served.close();
    }
  });
});

describe('--otel', () => {
  it('parses console, prometheus and prometheus:<port>', () => {
    expect(parseOtelSpec('console')).toEqual({ kind: 'console' });
    expect(parseOtelSpec('prometheus')).toEqual({ kind: 'prometheus', port: 9464 });
    expect(parseOtelSpec('prometheus:9100')).toEqual({ kind: 'prometheus', port: 9100 });
    for (const bad of ['jaeger', 'prometheus:0', 'prometheus:70000', 'prometheus:x', ''])
      expect(() => parseOtelSpec(bad), bad).toThrow(/expected console, prometheus/);
  });

  it('the demo refuses a bad exporter and combinations it cannot honour, with exit 2 and no stack', () => {
    const demo = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', '--conditions=eventkit-source', 'tools/demo.ts', ...args],
        {
          encoding: 'utf8',
          env: { ...process.env, NATS_URL: '' },
        },
      );
    const bad = demo('--otel', 'jaeger');
    expect(bad.stderr).toMatch(
      /--otel.*expected console, prometheus or prometheus:<port 1-65535>, got "jaeger"/,
    );
    expect(bad.status).not.toBe(0);
    const both = demo('--otel', 'console', '--json');
    expect(both.stderr).toMatch(/--otel console writes spans and metrics to stdout/);
    expect(both.status).toBe(2);
    const processes = demo('--otel', 'prometheus', '--processes');
    expect(processes.stderr).toMatch(/with --processes the services run in their own/);
    expect(processes.status).toBe(2);
    for (const run of [bad, both, processes]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
