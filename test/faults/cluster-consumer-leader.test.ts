// Cluster fault 2: kill -9 a server that leads durable consumers but no stream (stream leaders are moved
// off it first with a step-down), then restart it. Its consumers elect new leaders on the survivors and
// keep their positions: deliveries resume where they were, nothing is lost or applied twice.
import { describe, expect, it } from 'vitest';
import {
  consumerPlacement,
  durablePositions,
  stepDownStream,
  streamPlacement,
  waitForAllCurrent,
  waitForLeader,
} from '../support/cluster.ts';
import {
  expectConsistent,
  faultOrders,
  faultTimeout,
  printClusterLine,
  runOnCluster,
  sleep,
} from './harness.ts';

describe('cluster fault: a server leading consumers (not streams) is SIGKILLed and restarted', () => {
  it('its consumers move to the survivors and every accepted order finishes once', {
    timeout: faultTimeout(240_000, 200),
  }, async () => {
    let victimLed: string[] = [];
    const { result, elections } = await runOnCluster({
      orders: faultOrders(200),
      concurrency: 16,
      inject: async ({ cluster, nc, jsm, elections }) => {
        await sleep(1_000);
        // The server leading the most durables becomes the victim.
        const durables = [...(await durablePositions(jsm)).entries()];
        const leaders = await Promise.all(
          durables.map(async ([key, d]) => ({
            key,
            stream: d.stream,
            durable: key.slice(d.stream.length + 1),
            leader: (await consumerPlacement(jsm, d.stream, key.slice(d.stream.length + 1))).leader,
          })),
        );
        const counts = new Map<string, number>();
        for (const { leader } of leaders) if (leader) counts.set(leader, (counts.get(leader) ?? 0) + 1);
        const [victimName] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
        if (!victimName) throw new Error('no consumer has a leader');
        const victim = cluster.server(victimName);
        victimLed = leaders.filter((l) => l.leader === victimName).map((l) => l.key);
        // Move every stream leader off the victim: it then leads consumers only.
        for await (const stream of jsm.streams.list()) {
          const name = stream.config.name;
          for (let i = 0; i < 10 && (await streamPlacement(jsm, name)).leader === victimName; i++) {
            await stepDownStream(nc, name).catch(() => undefined);
            await waitForLeader(() => streamPlacement(jsm, name));
          }
          expect((await streamPlacement(jsm, name)).leader).not.toBe(victimName);
        }
        const watched = leaders.find((l) => l.leader === victimName);
        if (!watched) throw new Error('the victim leads no consumer');
        await victim.kill('SIGKILL');
        elections.record(
          (
            await waitForLeader(() => consumerPlacement(jsm, watched.stream, watched.durable), {
              not: victimName,
            })
          ).ms,
        );
        await sleep(2_000);
        await victim.restart();
        await waitForAllCurrent(() => consumerPlacement(jsm, watched.stream, watched.durable), 3);
      },
    });
    printClusterLine('cluster-consumer-leader', result, elections);
    expect(victimLed.length).toBeGreaterThan(0);
    expectConsistent('cluster-consumer-leader', result);
  });
});
