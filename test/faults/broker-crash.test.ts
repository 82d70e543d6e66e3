// Fault 2: SIGKILL nats-server (file storage) mid-flow, restart it on the same store, several times.
import { describe, it } from 'vitest';
import { expectConsistent, faultOrders, faultTimeout, runWithFault, sleep } from './harness.ts';

describe('fault: nats-server is SIGKILLed and restarted repeatedly', () => {
  it('every accepted order finishes; streams and consumers survive on disk', {
    timeout: faultTimeout(240_000, 300),
  }, async () => {
    const result = await runWithFault({
      orders: faultOrders(300),
      concurrency: 16,
      inject: async (server) => {
        for (let i = 0; i < 3; i++) {
          await sleep(1200);
          await server.kill('SIGKILL');
          await sleep(300);
          await server.restart();
        }
      },
    });
    expectConsistent('broker-crash', result);
  });
});
