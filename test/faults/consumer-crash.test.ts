// Fault 1: SIGKILL consumer services in the middle of the flow and restart them.
import { describe, expect, it } from 'vitest';
import { expectConsistent, faultOrders, faultTimeout, runWithFault, sleep } from './harness.ts';

describe('fault: a consumer service is SIGKILLed mid-flow and restarted', () => {
  it('loses nothing and applies nothing twice', { timeout: faultTimeout(240_000, 300) }, async () => {
    const result = await runWithFault({
      orders: faultOrders(300),
      concurrency: 16,
      inject: async (_server, cluster) => {
        await sleep(1500);
        await cluster.kill('payments', 'SIGKILL');
        await cluster.kill('inventory', 'SIGKILL');
        await sleep(500);
        await cluster.start('payments');
        await cluster.start('inventory');
      },
    });
    expectConsistent('consumer-crash', result);
    // The killed services had deliveries in flight: they came back and were handled.
    expect(result.figures.redeliveries).toBeGreaterThan(0);
  });
});
