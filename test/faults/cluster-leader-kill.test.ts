// Cluster fault 1: kill -9 the leader of the ORDERS stream every few seconds while the saga runs on a
// 3-node cluster (R3 streams), restart it each time. The survivors elect a new leader; publishes that
// time out or get 503 meanwhile are retried with the same Nats-Msg-Id.
import { describe, it } from 'vitest';
import { streamPlacement, waitForAllCurrent, waitForLeader } from '../support/cluster.ts';
import {
  expectConsistent,
  faultOrders,
  faultTimeout,
  printClusterLine,
  runOnCluster,
  sleep,
} from './harness.ts';

describe('cluster fault: the ORDERS stream leader is SIGKILLed and restarted repeatedly', () => {
  const orders = faultOrders(200);
  it('every accepted order finishes exactly once on the new leaders', {
    timeout: faultTimeout(240_000, 200),
  }, async () => {
    // One kill every few seconds for as long as a run of this size drives orders (3 in CI).
    const kills = Math.min(12, Math.max(3, Math.round(orders / 250)));
    const { result, elections } = await runOnCluster({
      orders,
      concurrency: 16,
      inject: async ({ cluster, jsm, elections }) => {
        const readOrders = () => streamPlacement(jsm, 'ORDERS');
        for (let i = 0; i < kills; i++) {
          await sleep(2_000);
          const { leader } = await waitForLeader(readOrders);
          const victim = cluster.server(leader);
          await victim.kill('SIGKILL');
          elections.record((await waitForLeader(readOrders, { not: victim.name })).ms);
          await victim.restart();
          // The next kill waits for the restarted server to hold a current copy again (else it could be
          // the only one left with the newest messages and a majority would be gone).
          await waitForAllCurrent(readOrders, 3);
        }
      },
    });
    printClusterLine('cluster-leader-kill', result, elections);
    expectConsistent('cluster-leader-kill', result);
  });
});
