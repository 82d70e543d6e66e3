// Circuit breaker (opossum) around payments' call to the payment gateway: while the gateway is down the
// circuit opens and OrderPlaced messages are delayed (nak, TransientError), never dead-lettered; when the
// gateway is back the circuit closes and every order finishes.
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEADLETTER_STREAM } from '../../src/runtime/index.ts';
import { startTestSystem, type TestSystem } from './system.ts';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({
    // TEST-ONLY HOOK: 1 s redelivery steps instead of the contract's 5 s … 10 min, and room for many tries.
    consumerOverrides: { backoffMs: [1000, 1000, 1000], ackWaitMs: 1000, maxDeliver: 30 },
    breaker: { volumeThreshold: 4, errorThresholdPercentage: 50, resetTimeoutMs: 1000 },
  });
}, 120_000);
afterAll(async () => {
  await sys?.stop();
});

describe('payments: circuit breaker around the gateway', () => {
  it('opens while the gateway is down, delays messages instead of failing them, and recovers', {
    timeout: 120_000,
  }, async () => {
    sys.payments.gateway.configure({ outage: true });
    const placed = await Promise.all(
      Array.from({ length: 8 }, () => sys.placeOrder({ lines: [{ productId: 'prd_cake', quantity: 1 }] })),
    );
    const deadline = Date.now() + 30_000;
    while (sys.payments.breaker.stats.rejectedWhileOpen === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(sys.payments.breaker.stats.opened).toBeGreaterThanOrEqual(1);
    expect(sys.payments.breaker.stats.rejectedWhileOpen).toBeGreaterThan(0);
    for (const p of placed) expect((await sys.order(p.orderId))?.status).toBe('placed');

    sys.payments.gateway.configure({ outage: false });
    for (const p of placed)
      expect(await sys.waitForOrder(p.orderId, ['completed', 'cancelled'], 60_000)).toBe('completed');
    expect(sys.payments.breaker.state()).toBe('closed');
    const jsm = await jetstreamManager(sys.nc);
    expect((await jsm.streams.info(DEADLETTER_STREAM)).state.messages).toBe(0);
    const payments = sys.services.get('payments');
    const { rows } = await (payments?.infra.db ?? sys.payments.infra.db).query<{ redeliveries: number }>(
      "SELECT redeliveries FROM delivery_stats WHERE consumer = 'payments--order-placed-v2'",
    );
    expect(rows[0]?.redeliveries ?? 0).toBeGreaterThan(0);
  });
});
