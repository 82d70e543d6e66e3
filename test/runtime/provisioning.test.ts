// Provisioning against a real nats-server: plan, apply, idempotence, drift and conflicts, and the CLI.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AckPolicy, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventModel, OperationModel, Registry, StreamModel } from '../../src/model/types.ts';
import { applyProvisioning, planProvisioning, provisioningSpec } from '../../src/runtime/provisioning.ts';
import { type NatsServer, startNatsServer } from '../support/nats-server.ts';

const run = promisify(execFile);

const stream = (
  name: string,
  subjects: string[],
  retention: 'limits' | 'workqueue' = 'limits',
): StreamModel => ({
  name,
  context: name.toLowerCase(),
  subjects,
  settings: {
    retention,
    storage: 'file',
    maxAgeMs: 86_400_000,
    maxBytes: 0,
    maxMsgs: 0,
    duplicateWindowMs: 120_000,
    replicas: 1,
  },
});

const event = (
  type: string,
  name: string,
  context: string,
  streamName: string | undefined,
  kind: 'event' | 'query' = 'event',
) =>
  ({
    type,
    name,
    kind,
    context,
    major: 1,
    stream: streamName,
    subjectFilter: `${context}.${name.toLowerCase()}.v1.>`,
  }) as unknown as EventModel;

const receive = (service: string, eventType: string, durable: string, maxDeliver = 5): OperationModel =>
  ({
    id: `${service}.on${eventType}`,
    operationId: `on${eventType}`,
    service,
    action: 'receive',
    eventTypes: [eventType],
    channelAddress: '',
    requestReply: false,
    durable,
    consumer: {
      ackWaitMs: 30_000,
      maxDeliver,
      backoffMs: [1_000, 5_000],
      maxAckPending: 500,
      ordered: false,
      deliverPolicy: 'all',
    },
  }) as unknown as OperationModel;

function registry(
  options: { retention?: 'limits' | 'workqueue'; maxDeliver?: number } = {},
): Pick<Registry, 'streams' | 'events' | 'operations'> {
  return {
    streams: [stream('SHOP', ['shop.order-placed.v1.>', 'shop.order-paid.v1.>'], options.retention)],
    events: [
      event('shop.v1.OrderPlaced', 'order-placed', 'shop', 'SHOP'),
      event('shop.v1.OrderPaid', 'order-paid', 'shop', 'SHOP'),
      event('shop.v1.GetOrder', 'get-order', 'shop', undefined, 'query'),
    ],
    operations: [
      receive('billing', 'shop.v1.OrderPlaced', 'billing--order-placed-v1', options.maxDeliver),
      receive('mailer', 'shop.v1.OrderPaid', 'mailer--order-paid-v1'),
      receive('mailer', 'shop.v1.GetOrder', 'mailer--get-order-v1'),
    ],
  };
}

describe('provisioning', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it('derives streams (plus DEADLETTER) and one durable per received event, never for queries', () => {
    const spec = provisioningSpec(registry());
    expect(spec.streams.map((s) => [s.name, s.subjects, s.maxBytes, s.maxMsgs])).toEqual([
      ['DEADLETTER', ['deadletter.>'], -1, -1],
      ['SHOP', ['shop.order-paid.v1.>', 'shop.order-placed.v1.>'], -1, -1],
    ]);
    expect(
      spec.consumers.map((c) => [c.spec.stream, c.spec.durable, c.spec.filterSubject, c.operation]),
    ).toEqual([
      ['SHOP', 'billing--order-placed-v1', 'shop.order-placed.v1.>', 'billing.onshop.v1.OrderPlaced'],
      ['SHOP', 'mailer--order-paid-v1', 'shop.order-paid.v1.>', 'mailer.onshop.v1.OrderPaid'],
    ]);
  });

  it('creates everything, then finds nothing to do (idempotent)', async () => {
    const spec = provisioningSpec(registry());
    const first = await planProvisioning(jsm, spec);
    expect(first.changes.map((c) => c.kind)).toEqual(['create', 'create', 'create', 'create']);
    const applied = await applyProvisioning(jsm, first);
    expect(applied.map((c) => c.outcome)).toEqual(['created', 'created', 'created', 'created']);
    const info = await jsm.consumers.info('SHOP', 'billing--order-placed-v1');
    expect(info.config).toMatchObject({
      ack_policy: 'explicit',
      max_deliver: 5,
      max_ack_pending: 500,
      filter_subject: 'shop.order-placed.v1.>',
    });
    expect(info.config.backoff).toEqual([1e9, 5e9]);
    const again = await planProvisioning(jsm, spec);
    expect(again.changes.every((c) => c.kind === 'unchanged')).toBe(true);
    expect(again.unknownConsumers).toEqual([]);
  });

  it('reports drift as a diff and applies updatable changes', async () => {
    await jsm.consumers.update('SHOP', 'mailer--order-paid-v1', { max_ack_pending: 7 });
    await jsm.consumers.add('SHOP', { durable_name: 'someone--else', ack_policy: AckPolicy.Explicit });
    const plan = await planProvisioning(jsm, provisioningSpec(registry({ maxDeliver: 8 })));
    const changed = plan.changes.filter((c) => c.kind !== 'unchanged');
    expect(changed.map((c) => [c.name, c.kind, c.drift.map((d) => [d.field, d.live, d.desired])])).toEqual([
      ['SHOP/billing--order-placed-v1', 'update', [['maxDeliver', 5, 8]]],
      ['SHOP/mailer--order-paid-v1', 'update', [['maxAckPending', 7, 500]]],
    ]);
    expect(plan.unknownConsumers).toEqual(['SHOP/someone--else']);
    const applied = await applyProvisioning(jsm, plan);
    expect(applied.filter((c) => c.outcome === 'updated').length).toBe(2);
    expect((await jsm.consumers.info('SHOP', 'billing--order-placed-v1')).config.max_deliver).toBe(8);
    // The unknown durable is reported, never deleted.
    expect((await jsm.consumers.info('SHOP', 'someone--else')).name).toBe('someone--else');
  });

  it('never applies a change JetStream cannot make in place (conflict)', async () => {
    const plan = await planProvisioning(
      jsm,
      provisioningSpec(registry({ retention: 'workqueue', maxDeliver: 8 })),
    );
    const shop = plan.changes.find((c) => c.name === 'SHOP');
    expect(shop).toMatchObject({
      kind: 'conflict',
      drift: [{ field: 'retention', live: 'limits', desired: 'workqueue', immutable: true }],
    });
    const applied = await applyProvisioning(jsm, plan);
    expect(applied.find((c) => c.name === 'SHOP')?.outcome).toBe('conflict');
    expect((await jsm.streams.info('SHOP')).config.retention).toBe('limits');
  });

  it('deletes retired durables only with prune, never one in use, never one it did not name', async () => {
    const retired = async (durable: string, filter: string) =>
      jsm.consumers.add('SHOP', {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        filter_subject: filter,
      });
    // billing consumed v0 of OrderPlaced once; an old mailer instance is still handling a v0 message.
    await retired('billing--order-placed-v0', 'shop.order-placed.v1.>');
    await retired('mailer--order-paid-v0', 'shop.order-paid.v1.>');
    const js = jetstream(nc);
    await js.publish('shop.order-paid.v1.o1', new Uint8Array([1]));
    const old = await js.consumers.get('SHOP', 'mailer--order-paid-v0');
    const inHand = await old.next({ expires: 5_000 });
    expect(inHand).not.toBeNull();

    const spec = provisioningSpec(registry());
    const plain = await planProvisioning(jsm, spec);
    expect(plain.retiredConsumers).toEqual(['SHOP/billing--order-placed-v0', 'SHOP/mailer--order-paid-v0']);
    expect(plain.unknownConsumers).toEqual(['SHOP/someone--else']);
    expect(plain.changes.some((c) => c.retired)).toBe(false);
    await applyProvisioning(jsm, plain);
    expect((await jsm.consumers.info('SHOP', 'billing--order-placed-v0')).name).toBe(
      'billing--order-placed-v0',
    );

    const pruning = await planProvisioning(jsm, spec, { prune: true });
    const retiredChanges = pruning.changes.filter((c) => c.retired);
    expect(retiredChanges.map((c) => [c.name, c.kind])).toEqual([
      ['SHOP/billing--order-placed-v0', 'delete'],
      ['SHOP/mailer--order-paid-v0', 'conflict'],
    ]);
    expect(retiredChanges[1]?.note).toMatch(
      /still in use \(1 message\(s\) being handled\): stop the old mailer/,
    );
    const applied = await applyProvisioning(jsm, pruning);
    expect(applied.filter((c) => c.retired).map((c) => c.outcome)).toEqual(['deleted', 'conflict']);
    await expect(jsm.consumers.info('SHOP', 'billing--order-placed-v0')).rejects.toThrow(/not found/);
    expect((await jsm.consumers.info('SHOP', 'mailer--order-paid-v0')).name).toBe('mailer--order-paid-v0');
    expect((await jsm.consumers.info('SHOP', 'someone--else')).name).toBe('someone--else');

    // Once the old instance has finished its message, the durable can go too.
    await inHand?.ackAck();
    const later = await planProvisioning(jsm, spec, { prune: true });
    expect(later.changes.filter((c) => c.retired).map((c) => [c.name, c.kind])).toEqual([
      ['SHOP/mailer--order-paid-v0', 'delete'],
    ]);
    expect((await applyProvisioning(jsm, later)).filter((c) => c.retired).map((c) => c.outcome)).toEqual([
      'deleted',
    ]);
  });

  it('eventkit provision: applies the project documents, then --dry-run --json shows no drift', async () => {
    const cli = ['bin/eventkit.mjs', 'provision', '--server', server.url];
    const applied = await run('node', cli, { encoding: 'utf8' });
    expect(applied.stdout).toMatch(/ORDERS\s+created/);
    const dry = await run('node', [...cli, '--dry-run', '--json'], { encoding: 'utf8' });
    const result = JSON.parse(dry.stdout) as { dryRun: boolean; changes: { name: string; plan: string }[] };
    expect(result.dryRun).toBe(true);
    expect(result.changes.find((c) => c.name === 'ORDERS')?.plan).toBe('unchanged');
    expect(result.changes.every((c) => c.plan === 'unchanged')).toBe(true);

    // payments moved to orders.v2.OrderPlaced: the durable of its v1 receive operation is retired.
    await jsm.consumers.add('ORDERS', {
      durable_name: 'payments--order-placed-v1',
      ack_policy: AckPolicy.Explicit,
      filter_subject: 'orders.order-placed.v1.>',
    });
    const told = await run('node', cli, { encoding: 'utf8' });
    expect(told.stdout).toContain(
      'retired durables (their receive operation is gone; --prune deletes them): ORDERS/payments--order-placed-v1',
    );
    const preview = JSON.parse((await run('node', [...cli, '--prune', '--dry-run', '--json'])).stdout) as {
      changes: { name: string; plan: string }[];
      retiredConsumers: string[];
    };
    expect(preview.retiredConsumers).toEqual(['ORDERS/payments--order-placed-v1']);
    expect(preview.changes.filter((c) => c.plan !== 'unchanged')).toEqual([
      expect.objectContaining({ name: 'ORDERS/payments--order-placed-v1', plan: 'delete' }),
    ]);
    const pruned = await run('node', [...cli, '--prune'], { encoding: 'utf8' });
    expect(pruned.stdout).toMatch(/ORDERS\/payments--order-placed-v1\s+deleted/);
    await expect(jsm.consumers.info('ORDERS', 'payments--order-placed-v1')).rejects.toThrow(/not found/);
  });

  it('eventkit provision: exits 69 with a clear message when NATS is unreachable', async () => {
    const failure = await run('node', ['bin/eventkit.mjs', 'provision', '--server', 'nats://127.0.0.1:1'], {
      encoding: 'utf8',
    }).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 69 });
    expect((failure as { stderr: string }).stderr).toContain('cannot connect to NATS at nats://127.0.0.1:1');
  });
});
