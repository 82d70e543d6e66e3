// `eventkit monitor` on a real nats-server: the CLI finds exactly one violation per wrong message among
// valid ones and leaves the services' durables untouched; a retired version is reported; the reference
// saga run under the monitor shows no violation at all.
import { type ConsumerInfo, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject, type Registry } from '../../src/model/index.ts';
import { startMonitor, VIOLATION_KINDS, type Violation } from '../../src/monitor/index.ts';
import { provisionFromRegistry } from '../../src/reference/system/provision.ts';
import { runSaga } from '../../src/reference/system/run-saga.ts';
import { type CliRun, runCli } from '../cli/run-cli.ts';
import { type NatsServer, startNatsServer } from '../support/nats-server.ts';
import { publishRaw, validMessage, wrongMessages } from './samples.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let registry: Registry;

beforeAll(async () => {
  const project = await loadProject(process.cwd());
  registry = project.registry;
});

interface JsonLine {
  readonly record: 'violation' | 'summary';
  readonly kind?: string;
  readonly id?: string;
  readonly checked?: number;
  readonly violations?: number;
  readonly perKind?: Record<string, number>;
}

describe('eventkit monitor --from-start against a publisher with one wrong message of each kind', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let validCount = 0;
  const wrong = new Map<string, { kind: string }>();
  let durableBefore: ConsumerInfo;
  let jsonRun: CliRun;
  let plainRun: CliRun;
  let newOnlyRun: CliRun;
  let badUsageRun: CliRun;
  let downRun: CliRun;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    await provisionFromRegistry(registry, nc);
    const events = registry.events.filter((e) => e.stream && e.examples.length > 0);
    const bad = wrongMessages(registry);
    for (const [id, { kind }] of bad) wrong.set(id, { kind });
    // Wrong ones among valid ones.
    const queue = [...bad.values()].map((b) => b.msg);
    for (const event of events) {
      await publishRaw(nc, validMessage(event));
      validCount++;
      const next = queue.shift();
      if (next) await publishRaw(nc, next);
    }
    for (const rest of queue) await publishRaw(nc, rest);
    // The CLI runs at once (each spends most of its time starting up and loading the documents).
    const jsm = await jetstreamManager(nc);
    durableBefore = await jsm.consumers.info('ORDERS', 'payments--order-placed-v2');
    [jsonRun, plainRun, newOnlyRun, badUsageRun, downRun] = await Promise.all([
      runCli(['monitor', '--server', server.url, '--from-start', '--duration', '4s', '--json']),
      runCli(['monitor', '--server', server.url, '--from-start', '--duration', '3s']),
      runCli(['monitor', '--server', server.url, '--duration', '2s', '--json']),
      runCli(['monitor', '--duration', 'soon']),
      runCli(['monitor', '--server', 'nats://127.0.0.1:1', '--duration', '1s']),
    ]);
  }, 120_000);

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it('reports each wrong message once with its kind, the valid ones not at all, and exits 1', async () => {
    const before = durableBefore;
    const run = jsonRun;
    expect(run.code, run.stderr).toBe(1);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JsonLine);
    const violations = lines.filter((l) => l.record === 'violation');
    const byId = new Map(violations.map((v) => [v.id, v.kind]));
    expect(violations).toHaveLength(wrong.size);
    for (const [id, { kind }] of wrong) expect(byId.get(id), kind).toBe(kind);
    expect(new Set(violations.map((v) => v.kind)).size).toBe(VIOLATION_KINDS.length - 1);
    const summary = lines.at(-1) as JsonLine;
    expect(summary.record).toBe('summary');
    expect(summary.checked).toBe(validCount + wrong.size);
    expect(summary.violations).toBe(wrong.size);
    // Ordered consumers only: a service's durable still has every message waiting for it.
    const after = await (await jetstreamManager(nc)).consumers.info('ORDERS', 'payments--order-placed-v2');
    expect(after.num_pending + after.num_ack_pending).toBe(before.num_pending + before.num_ack_pending);
    expect(after.delivered.consumer_seq).toBe(before.delivered.consumer_seq);
  });

  it('piped without --json: one plain line per violation and a summary', () => {
    const run = plainRun;
    expect(run.code, run.stderr).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines.filter((l) => /^[a-z-]+ \S+ \(ORDERS #\d+\): /.test(l))).toHaveLength(wrong.size);
    expect(run.stdout).toContain('wrong-source orders.order-placed.v1.ord_source');
    expect(run.stdout).toMatch(new RegExp(`${validCount + wrong.size} message\\(s\\) checked`));
    expect(run.stdout).not.toContain('\x1b[');
  });

  it('without --from-start sees only new messages: nothing published meanwhile → exit 0', () => {
    const run = newOnlyRun;
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as JsonLine;
    expect(summary).toMatchObject({ record: 'summary', checked: 0, violations: 0 });
  });

  it('usage errors and an unreachable server have their exit codes, no stack trace', () => {
    const bad = badUsageRun;
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('--duration soon');
    const down = downRun;
    expect(down.code).toBe(69);
    expect(down.stderr).toContain('cannot connect to NATS at nats://127.0.0.1:1');
    expect(down.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('monitor: retired versions', () => {
  it('flags a version nobody consumes any more once a newer major exists', async () => {
    const server = await startNatsServer();
    const nc = await connect({ servers: server.url });
    try {
      await provisionFromRegistry(registry, nc);
      // Notifications moved to v2: v1 has no consumer left (what `version-retirable` warns about).
      const retiredRegistry: Registry = {
        ...registry,
        events: registry.events.map((e) =>
          e.type === 'orders.v1.OrderPlaced' ? { ...e, consumers: [] } : e,
        ),
      };
      const seen: Violation[] = [];
      const monitor = await startMonitor({
        connection: nc,
        registry: retiredRegistry,
        onViolation: (v) => seen.push(v),
      });
      const v1 = registry.events.find((e) => e.type === 'orders.v1.OrderPlaced');
      const v2 = registry.events.find((e) => e.type === 'orders.v2.OrderPlaced');
      if (!v1 || !v2) throw new Error('reference documents changed');
      await publishRaw(nc, validMessage(v1));
      await publishRaw(nc, validMessage(v2));
      const deadline = Date.now() + 20_000;
      while (monitor.stats().checked < 2 && Date.now() < deadline) await sleep(50);
      await monitor.stop();
      expect(monitor.stats().checked).toBe(2);
      expect(seen.map((v) => [v.kind, v.type])).toEqual([['retired-version', 'orders.v1.OrderPlaced']]);
      expect(seen[0]?.reason).toContain('orders.v2.OrderPlaced');
    } finally {
      await nc.close();
      await server.stop();
    }
  });
});

describe('monitor: the reference saga under the monitor', () => {
  it('reports 0 violations over every message of a run', { timeout: 180_000 }, async () => {
    const server = await startNatsServer();
    const nc = await connect({ servers: server.url });
    try {
      await provisionFromRegistry(registry, nc);
      const seen: Violation[] = [];
      const monitor = await startMonitor({ connection: nc, registry, onViolation: (v) => seen.push(v) });
      const result = await runSaga({ natsUrl: server.url, orders: 10, processes: false, concurrency: 8 });
      expect(result.invariants.violations).toEqual([]);
      // Everything the (limits) streams hold has reached the monitor; a work queue only keeps what is not done yet.
      const jsm = await jetstreamManager(nc);
      const kept = registry.streams.filter((s) => s.settings.retention !== 'workqueue').map((s) => s.name);
      let stored = 0;
      for (const name of kept) stored += (await jsm.streams.info(name)).state.messages;
      const deadline = Date.now() + 30_000;
      const fromStreams = () =>
        [...monitor.stats().perType].filter(([t]) =>
          registry.events.some((e) => e.type === t && e.stream && kept.includes(e.stream)),
        );
      const streamChecked = () => fromStreams().reduce((n, [, t]) => n + t.checked, 0);
      while (streamChecked() < stored && Date.now() < deadline) await sleep(100);
      await monitor.stop();
      const stats = monitor.stats();
      expect(streamChecked()).toBe(stored);
      expect(stats.perType.get('orders.v1.OrderPlaced')?.checked).toBeGreaterThan(0);
      expect(stats.perType.get('orders.v1.PlaceOrder')?.checked).toBeGreaterThan(0);
      expect(stats.perType.get('notifications.v1.DeliveryRequested')?.checked).toBeGreaterThan(0);
      expect(seen).toEqual([]);
    } finally {
      await nc.close();
      await server.stop();
    }
  });
});
