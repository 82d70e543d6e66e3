// Fault 3: the producer (orders) dies right after committing a state change + outbox rows, before the
// relay publishes them. After a restart the outbox delivers; nothing is lost.
import { describe, expect, it } from 'vitest';
import { expectConsistent, faultOrders, faultTimeout, runWithFault } from './harness.ts';

describe('fault: orders crashes after its DB commit and before publishing', () => {
  it('the outbox publishes the committed events after the restart', {
    timeout: faultTimeout(240_000, 200),
  }, async () => {
    let crashed = false;
    const result = await runWithFault({
      orders: faultOrders(200),
      concurrency: 8,
      // TEST-ONLY HOOK (src/reference/platform/fault-hooks.ts): SIGKILL after the 40th outbox commit.
      processEnv: { orders: { REFERENCE_FAULT_CRASH_AFTER_COMMIT: 'orders:40' } },
      inject: async (_server, cluster) => {
        await cluster.exited('orders');
        crashed = true;
        await cluster.start('orders');
      },
    });
    expect(crashed).toBe(true);
    expectConsistent('producer-crash', result);
  });
});
