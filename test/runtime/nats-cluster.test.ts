// The local cluster harness on real nats-server processes: routes, R3 streams from provisioning, one
// connection to every URL, a leader killed and restarted, a follower paused and resumed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNatsServerError } from '../../src/runtime/errors.ts';
import { applyProvisioning, planProvisioning, provisioningSpec } from '../../src/runtime/provisioning.ts';
import { connectNats, natsServerList } from '../../src/runtime/transports/jetstream.ts';
import { streamPlacement, waitForAllCurrent, waitForLeader } from '../support/cluster.ts';
import { type NatsCluster, startNatsCluster } from '../support/nats-server.ts';

const run = promisify(execFile);

interface ProvisionJson {
  changes: { name: string; plan: string; drift: { field: string; live: unknown; desired: unknown }[] }[];
  cluster?: {
    name: string;
    servers: string[];
    streams: { name: string; replicas: number; leader?: string; followers: { name: string }[] }[];
  };
}

describe('natsServerList', () => {
  it('reads a comma-separated cluster URL, an array, and one URL', () => {
    expect(natsServerList('nats://a:1, nats://b:2,,nats://c:3')).toEqual([
      'nats://a:1',
      'nats://b:2',
      'nats://c:3',
    ]);
    expect(natsServerList(['nats://a:1 '])).toEqual(['nats://a:1']);
    expect(natsServerList('nats://a:1')).toEqual(['nats://a:1']);
  });
});

describe('startNatsCluster', { timeout: 120_000 }, () => {
  let cluster: NatsCluster;
  let nc: NatsConnection;

  beforeAll(async () => {
    cluster = await startNatsCluster({ size: 3 });
    nc = await connectNats({ servers: cluster.url, name: 'cluster-test' });
  }, 60_000);
  afterAll(async () => {
    await nc?.close();
    await cluster?.stop();
  });

  it('refuses a cluster of one server', async () => {
    const error = await startNatsCluster({ size: 1 }).catch((e: unknown) => e);
    expect(isNatsServerError(error)).toBe(true);
    expect((error as Error).message).toMatch(/at least 2 servers/);
  });

  it('routes three named servers under one meta leader', async () => {
    expect(cluster.servers.map((s) => s.name)).toEqual(['n1', 'n2', 'n3']);
    expect(cluster.urls).toHaveLength(3);
    expect(natsServerList(cluster.url)).toEqual(cluster.urls);
    expect(new Set(cluster.servers.map((s) => s.storeDir)).size).toBe(3);
    expect(['n1', 'n2', 'n3']).toContain(await cluster.waitForMetaLeader({ all: true }));
  });

  it('provisions R3 streams, survives a leader kill, and the restarted server catches up', async () => {
    const jsm = await jetstreamManager(nc);
    const spec = provisioningSpec(
      {
        streams: [
          {
            name: 'ORDERS',
            context: 'orders',
            subjects: ['orders.>'],
            settings: {
              retention: 'limits',
              storage: 'file',
              maxAgeMs: 3_600_000,
              maxBytes: 0,
              maxMsgs: 0,
              duplicateWindowMs: 120_000,
              replicas: 1,
            },
          },
        ],
        events: [],
        operations: [],
      },
      { replicas: 3 },
    );
    const applied = await applyProvisioning(jsm, await planProvisioning(jsm, spec));
    expect(applied.filter((c) => c.outcome === 'failed')).toEqual([]);
    const before = await streamPlacement(jsm, 'ORDERS');
    expect(before.servers).toHaveLength(3);
    expect((await jsm.streams.info('DEADLETTER')).config.num_replicas).toBe(3);

    const js = jetstream(nc);
    for (let i = 0; i < 20; i++)
      await js.publish(`orders.placed.${i}`, new Uint8Array([i]), { msgID: `m${i}` });
    const leader = cluster.server(before.leader ?? '');
    await leader.kill('SIGKILL');
    const elected = await waitForLeader(() => streamPlacement(jsm, 'ORDERS'), { not: leader.name });
    expect(elected.leader).not.toBe(leader.name);
    // The two survivors accept writes; a re-sent message id is still a duplicate.
    const ack = await js.publish('orders.placed.20', new Uint8Array([20]), { msgID: 'm20', timeout: 10_000 });
    expect(ack.duplicate).toBe(false);
    const again = await js.publish('orders.placed.0', new Uint8Array([0]), { msgID: 'm0', timeout: 10_000 });
    expect(again.duplicate).toBe(true);

    await leader.restart();
    const caughtUp = await waitForAllCurrent(() => streamPlacement(jsm, 'ORDERS'), 3);
    expect(caughtUp.servers).toContain(leader.name);
    expect((await jsm.streams.info('ORDERS')).state.messages).toBe(21);
  });

  it('a paused follower does not stop the others; resumed, it is current again', async () => {
    const jsm = await jetstreamManager(nc);
    const placement = await streamPlacement(jsm, 'ORDERS');
    // Not the server this client talks to: pausing that one would stall the client, not the cluster.
    const connected = nc.info?.server_name;
    const follower = cluster.servers.find((s) => s.name !== placement.leader && s.name !== connected);
    if (!follower) throw new Error('no follower');
    follower.pause();
    try {
      const js = jetstream(nc);
      const ack = await js.publish('orders.placed.paused', new Uint8Array([1]), {
        msgID: 'paused-1',
        timeout: 10_000,
      });
      expect(ack.seq).toBeGreaterThan(0);
    } finally {
      follower.resume();
    }
    await waitForAllCurrent(() => streamPlacement(jsm, 'ORDERS'), 3);
    expect((await jsm.streams.info('ORDERS')).state.messages).toBe(22);
  });

  it('eventkit provision --replicas 3 reports the cluster and each stream’s leader; the documents’ R1 is drift', async () => {
    const cli = ['bin/eventkit.mjs', 'provision', '--server', cluster.url, '--json'];
    const applied = JSON.parse((await run('node', [...cli, '--replicas', '3'])).stdout) as ProvisionJson;
    expect(applied.cluster?.name).toBe('eventkit');
    expect(applied.cluster?.servers).toEqual(['n1', 'n2', 'n3']);
    const orders = applied.cluster?.streams.find((s) => s.name === 'ORDERS');
    expect(orders?.replicas).toBe(3);
    expect(orders?.followers).toHaveLength(2);
    expect(['n1', 'n2', 'n3']).toContain(orders?.leader);

    const drift = JSON.parse((await run('node', [...cli, '--dry-run'])).stdout) as ProvisionJson;
    const payments = drift.changes.find((c) => c.name === 'PAYMENTS');
    expect(payments?.plan).toBe('update');
    expect(payments?.drift).toContainEqual({ field: 'replicas', live: 3, desired: 1, immutable: false });

    const bad = await run('node', [...cli, '--replicas', 'two']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad).toMatchObject({
      code: 64,
      stderr: expect.stringMatching(/--replicas must be a whole number/),
    });
  });
});
