// Fault 5: poison messages reach inventory while orders flow. Bytes that do not decode are dead-lettered
// at once (permanent); a well-formed OrderPaid naming a product nobody knows fails transiently until the
// consumer's max deliveries, then is dead-lettered. The dead letters keep the original bytes.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { OrderPaidV1 } from '../../src/reference/inventory/generated/index.ts';
import {
  createEnvelope,
  DEADLETTER_STREAM,
  type DeadLetterInfo,
  jetstreamTransport,
  readDeadLetter,
} from '../../src/runtime/index.ts';
import { expectConsistent, faultOrders, faultTimeout, runWithFault, sleep } from './harness.ts';

describe('fault: poison messages', () => {
  it('are dead-lettered with their original bytes while other orders flow', {
    timeout: faultTimeout(240_000, 200),
  }, async () => {
    // A truncated varint: no protobuf reader can decode it.
    const garbage = new Uint8Array([0xff, 0xff, 0xff]);
    const wellFormed = createEnvelope(OrderPaidV1, {
      orderId: 'ord_poison2',
      customerId: 'cus_x',
      paymentId: 'pay_x',
      items: [{ productId: 'prd_nobody_sells_this', storeId: 'sto_x', quantity: 1 }],
    });
    const letters: { info: DeadLetterInfo | undefined; data: Uint8Array }[] = [];
    const result = await runWithFault({
      orders: faultOrders(200),
      concurrency: 8,
      // TEST-ONLY HOOK: short redelivery delays so max deliveries is reached within the test.
      processEnv: {
        inventory: { REFERENCE_CONSUMER_BACKOFF_MS: '1000,1000,1000', REFERENCE_CONSUMER_MAX_DELIVER: '4' },
      },
      inject: async (server) => {
        await sleep(1000);
        const transport = jetstreamTransport({ servers: server.url, name: 'poisoner' });
        await transport.publish({
          id: 'poison-1',
          type: 'orders.v1.OrderPaid',
          subject: 'orders.order-paid.v1.ord_poison1',
          headers: {
            'ce-specversion': '1.0',
            'ce-id': 'poison-1',
            'ce-type': 'orders.v1.OrderPaid',
            'ce-source': 'poisoner',
            'content-type': 'application/protobuf',
          },
          data: garbage,
        });
        await transport.publish(wellFormed);
        await transport.close();
        const nc = await connect({ servers: server.url });
        const jsm = await jetstreamManager(nc);
        const deadline = Date.now() + 60_000;
        while ((await jsm.streams.info(DEADLETTER_STREAM)).state.messages < 2 && Date.now() < deadline)
          await sleep(250);
        for (let seq = 1; seq <= (await jsm.streams.info(DEADLETTER_STREAM)).state.last_seq; seq++) {
          const m = await jsm.streams.getMessage(DEADLETTER_STREAM, { seq });
          if (!m) continue;
          const headers: Record<string, string> = {};
          for (const [k, v] of m.header) headers[k] = v[0] as string;
          letters.push({ info: readDeadLetter(headers), data: m.data });
        }
        await nc.close();
      },
    });
    process.stdout.write(
      `[fault:poison] dead letters: ${letters.map((l) => `${l.info?.subject} ${l.info?.reason} after ${l.info?.deliveryCount}`).join('; ')}\n`,
    );
    expectConsistent('poison', result);
    expect(result.broker.deadLetters).toBe(2);
    const bySubject = new Map(letters.map((l) => [l.info?.subject, l]));
    const decodeFailure = bySubject.get('orders.order-paid.v1.ord_poison1');
    expect(decodeFailure?.info).toMatchObject({
      reason: 'permanent',
      consumer: 'inventory--order-paid-v1',
      service: 'inventory',
      stream: 'ORDERS',
    });
    expect(decodeFailure?.info?.error).toMatch(/Decode/);
    expect([...(decodeFailure?.data ?? [])]).toEqual([...garbage]);
    const unknownProduct = bySubject.get('orders.order-paid.v1.ord_poison2');
    expect(unknownProduct?.info).toMatchObject({
      reason: 'max-deliver',
      deliveryCount: 4,
      consumer: 'inventory--order-paid-v1',
    });
    expect(unknownProduct?.info?.error).toMatch(/prd_nobody_sells_this/);
    expect([...(unknownProduct?.data ?? [])]).toEqual([...wellFormed.data]);
  });
});
