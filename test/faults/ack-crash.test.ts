// Fault 4: a consumer dies after its effect committed and before the ack. JetStream redelivers; the
// inbox sees the message id and drops the copy (acked and counted), so the effect happens once.
import { describe, expect, it } from 'vitest';
import { expectConsistent, faultOrders, faultTimeout, runWithFault } from './harness.ts';

describe('fault: inventory crashes after its effect and before its ack', () => {
  it('the inbox absorbs the redelivery', { timeout: faultTimeout(240_000, 200) }, async () => {
    const result = await runWithFault({
      orders: faultOrders(200),
      concurrency: 8,
      // TEST-ONLY HOOK: SIGKILL right after the 30th committed reservation, before the ack.
      processEnv: { inventory: { REFERENCE_FAULT_CRASH_BEFORE_ACK: 'inventory--order-paid-v1:30' } },
      inject: async (_server, cluster) => {
        await cluster.exited('inventory');
        await cluster.start('inventory');
      },
    });
    expectConsistent('ack-crash', result);
    expect(result.figures.duplicatesDropped).toBeGreaterThanOrEqual(1);
    expect(result.figures.redeliveries).toBeGreaterThanOrEqual(1);
  });
});
