// Publishing under failover: a publish in flight while the ORDERS stream leader dies is retried by the
// publisher with the SAME Nats-Msg-Id, so it lands on the new leader exactly once — even when the dead
// leader had already stored and replicated it but its PubAck never came back (JetStream then answers the
// retry with `duplicate: true`). Counted on the stream: one message per id, no more, no fewer.
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/model/index.ts';
import type { OutboundMessage, PublishReceipt } from '../../src/runtime/api.ts';
import { newEventId } from '../../src/runtime/ids.ts';
import { createPublisher, publishRetryBudgetMs } from '../../src/runtime/publisher.ts';
import { connectNats, jetstreamTransport } from '../../src/runtime/transports/jetstream.ts';
import { streamPlacement, waitForAllCurrent, waitForLeader } from '../support/cluster.ts';
import { type NatsCluster, startNatsCluster } from '../support/nats-server.ts';
import { Elections, sleep } from './harness.ts';

const DUPLICATE_WINDOW_MS = 120_000;

function message(subject: string): OutboundMessage {
  const id = newEventId();
  return {
    subject,
    id,
    type: 'orders.v1.Probe',
    data: new TextEncoder().encode(id),
    headers: { 'ce-id': id },
  };
}

describe('cluster: publishing while the stream leader is killed', { timeout: 180_000 }, () => {
  let cluster: NatsCluster;
  let nc: NatsConnection;
  const elections = new Elections();

  beforeAll(async () => {
    cluster = await startNatsCluster({ size: 3 });
    nc = await connectNats({ servers: cluster.url, name: 'failover-test' });
    const jsm = await jetstreamManager(nc, { checkAPI: false });
    await jsm.streams.add({
      name: 'ORDERS',
      subjects: ['orders.>'],
      num_replicas: 3,
      duplicate_window: DUPLICATE_WINDOW_MS * 1_000_000,
    });
  }, 60_000);
  afterAll(async () => {
    process.stdout.write(`[fault:cluster-publish-failover] ${elections.summary}\n`);
    await nc?.close();
    await cluster?.stop();
  });

  async function killLeader(): Promise<string> {
    const jsm = await jetstreamManager(nc, { checkAPI: false });
    const read = () => streamPlacement(jsm, 'ORDERS');
    const { leader } = await waitForLeader(read);
    await cluster.server(leader).kill('SIGKILL');
    elections.record((await waitForLeader(read, { not: leader })).ms);
    return leader;
  }

  async function restartAll(): Promise<void> {
    const jsm = await jetstreamManager(nc, { checkAPI: false });
    for (const s of cluster.servers) if (s.pid === undefined) await s.restart();
    await waitForAllCurrent(() => streamPlacement(jsm, 'ORDERS'), 3);
  }

  it('a publish held by a frozen leader, then killed, lands once on the new leader', async () => {
    const transport = jetstreamTransport({ servers: cluster.url, name: 'failover-publisher' });
    const publisher = createPublisher({ transport, source: 'test', timeoutMs: 2_000 });
    const jsm = await jetstreamManager(nc, { checkAPI: false });
    try {
      const { leader } = await waitForLeader(() => streamPlacement(jsm, 'ORDERS'));
      const frozen = cluster.server(leader);
      frozen.pause();
      const msg = message('orders.in-flight.one');
      const inFlight = publisher.publishEnvelope(msg);
      await sleep(500);
      expect(publisher.inFlight).toBe(1);
      await frozen.kill('SIGKILL');
      elections.record(
        (await waitForLeader(() => streamPlacement(jsm, 'ORDERS'), { not: leader, timeoutMs: 60_000 })).ms,
      );
      const receipt = await inFlight;
      expect(receipt.stream).toBe('ORDERS');
      const info = await jsm.streams.info('ORDERS', { subjects_filter: 'orders.in-flight.>' });
      expect(info.state.subjects).toEqual({ 'orders.in-flight.one': 1 });
      const stored = await jsm.streams.getMessage('ORDERS', { last_by_subj: 'orders.in-flight.one' });
      expect(stored?.header.get('Nats-Msg-Id')).toBe(msg.id);
    } finally {
      await transport.close();
      await restartAll();
    }
  });

  it('a burst of publishes across a leader kill: every id stored exactly once', async () => {
    const transport = jetstreamTransport({ servers: cluster.url, name: 'burst-publisher' });
    const publisher = createPublisher({ transport, source: 'test', timeoutMs: 2_000, window: 128 });
    const jsm = await jetstreamManager(nc, { checkAPI: false });
    const total = 2_000;
    // Own subjects per attempt, so a retried attempt counts only its own messages.
    const burst = `b${Date.now().toString(36)}`;
    try {
      const before = (await jsm.streams.info('ORDERS')).state.messages;
      const receipts: Promise<PublishReceipt>[] = [];
      let acked = 0;
      const publishing = (async () => {
        for (let i = 0; i < total; i++) {
          const p = publisher.publishEnvelope(message(`orders.burst.${burst}.${i}`));
          p.then(
            () => acked++,
            () => undefined,
          );
          receipts.push(p);
          if (publisher.inFlight >= 128) await sleep(1);
        }
      })();
      while (acked < total / 4) await sleep(20);
      const killed = await killLeader();
      await publishing;
      const settled = await Promise.all(receipts);
      const duplicates = settled.filter((r) => r.duplicate).length;
      process.stdout.write(
        `[fault:cluster-publish-failover] ${total} publishes across the kill of ${killed}: all acknowledged, ` +
          `${duplicates} answered as duplicates (stored before the kill, PubAck lost)\n`,
      );
      const info = await jsm.streams.info('ORDERS', { subjects_filter: `orders.burst.${burst}.>` });
      const perSubject = Object.values(info.state.subjects ?? {});
      expect(perSubject).toHaveLength(total);
      expect(perSubject.every((n) => n === 1)).toBe(true);
      expect((await jsm.streams.info('ORDERS')).state.messages).toBe(before + total);
    } finally {
      await transport.close();
      await restartAll();
    }
  });

  it('every stream of the documents keeps ids longer than the publisher’s whole retry budget', async () => {
    // Else a retry after a lost PubAck could arrive when JetStream has forgotten the id: stored twice.
    const { registry } = await loadProject(process.cwd());
    expect(registry.streams.length).toBeGreaterThan(0);
    for (const stream of registry.streams)
      expect(stream.settings.duplicateWindowMs, stream.name).toBeGreaterThan(publishRetryBudgetMs());
  });
});
