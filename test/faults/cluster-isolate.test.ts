// Cluster fault 4: the ORDERS stream leader is frozen (SIGSTOP) for longer than the route ping allows
// (a short ping interval in the test config), then thawed (SIGCONT). The other two elect a new leader and
// keep accepting writes meanwhile; the stale server catches up and holds every acknowledged message.
import { jetstreamManager } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { createPublisher } from '../../src/runtime/publisher.ts';
import { connectNats, jetstreamTransport } from '../../src/runtime/transports/jetstream.ts';
import { streamOnServer, streamPlacement, waitForAllCurrent, waitForLeader } from '../support/cluster.ts';
import {
  expectConsistent,
  faultOrders,
  faultTimeout,
  printClusterLine,
  runOnCluster,
  sleep,
} from './harness.ts';

const PING_INTERVAL_MS = 500; // routes to a silent server are dropped after 2 missed pings (~1.5 s)

describe('cluster fault: one server is isolated (SIGSTOP past the route ping) and comes back', () => {
  it('the others keep serving; the stale one catches up; nothing acknowledged is missing', {
    timeout: faultTimeout(240_000, 200),
  }, async () => {
    let probesAcked = 0;
    let staleHolds: number | undefined;
    const { result, elections } = await runOnCluster({
      orders: faultOrders(200),
      concurrency: 16,
      pingIntervalMs: PING_INTERVAL_MS,
      inject: async ({ cluster, jsm, elections }) => {
        await sleep(1_500);
        const { leader } = await waitForLeader(() => streamPlacement(jsm, 'ORDERS'));
        const stale = cluster.server(leader);
        // A connection to the two others only, and an R3 stream of its own to write to while isolated.
        const others = cluster.servers.filter((s) => s !== stale).map((s) => s.url);
        const nc = await connectNats({ servers: others, name: 'isolation-probe' });
        const publisher = createPublisher({
          transport: jetstreamTransport({ connection: nc }),
          source: 'isolation-probe',
          timeoutMs: 3_000,
          retry: { attempts: 20 },
        });
        try {
          const probeJsm = await jetstreamManager(nc, { checkAPI: false });
          await probeJsm.streams.add({ name: 'PROBE', subjects: ['probe.>'], num_replicas: 3 });
          stale.pause();
          try {
            elections.record(
              (await waitForLeader(() => streamPlacement(probeJsm, 'ORDERS'), { not: stale.name })).ms,
            );
            // The runtime's publisher: a publish that times out while PROBE elects a leader is retried
            // with the same Nats-Msg-Id.
            const frozenUntil = Date.now() + PING_INTERVAL_MS * 8;
            while (Date.now() < frozenUntil || probesAcked < 20) {
              const id = `probe-${probesAcked}`;
              await publisher.publishEnvelope({
                subject: `probe.${probesAcked}`,
                id,
                type: 'probe',
                data: new Uint8Array([1]),
                headers: { 'ce-id': id },
              });
              probesAcked++;
              await sleep(50);
            }
          } finally {
            stale.resume();
          }
          await waitForAllCurrent(() => streamPlacement(probeJsm, 'PROBE'), 3);
          await waitForAllCurrent(() => streamPlacement(probeJsm, 'ORDERS'), 3);
          // Its own replica, as it reports it: polled, since "current" is the leader's view.
          const deadline = Date.now() + 60_000;
          do {
            staleHolds = (await streamOnServer(stale.monitorUrl, 'PROBE'))?.messages;
            if (staleHolds === probesAcked) break;
            await sleep(250);
          } while (Date.now() < deadline);
        } finally {
          await nc.close();
        }
      },
    });
    printClusterLine('cluster-isolate', result, elections);
    expect(probesAcked).toBeGreaterThanOrEqual(20);
    expect(staleHolds).toBe(probesAcked);
    expect(result.broker.messagesPerStream.PROBE).toBe(probesAcked);
    expectConsistent('cluster-isolate', result);
  });
});
