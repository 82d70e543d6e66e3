// Consumer contract of payments: the orders events it receives, each pushed through the real codec into
// payments' real handlers on real storage (PGlite).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverPactMessage, jsonViewMatching } from '../../../src/contracts/index.ts';
import {
  examples,
  OrderCancelledV1,
  OrderPlacedV2,
} from '../../../src/reference/payments/generated/index.ts';
import { createPaymentsHandlers } from '../../../src/reference/payments/handlers.ts';
import { createSimulatedGateway } from '../../../src/reference/payments/payment-gateway.ts';
import { findPayment } from '../../../src/reference/payments/storage.ts';
import { consumerPacts } from '../support/consumer-pacts.ts';
import { consumed } from '../support/messages.ts';
import { states } from '../support/provider-states.ts';
import { openServiceWorld, type ServiceWorld } from '../support/service-world.ts';

const pacts = consumerPacts('payments');
let world: ServiceWorld;
const gateway = createSimulatedGateway();
let handlers: ReturnType<typeof createPaymentsHandlers>;

beforeAll(async () => {
  world = await openServiceWorld('payments');
  handlers = createPaymentsHandlers({ kit: world.kit, gateway });
});
beforeEach(async () => {
  await world.clear();
});
afterAll(async () => {
  await pacts.finalize();
  await world.close();
});

describe('payments ← orders', () => {
  it('OrderPlaced (v2): charges the order total and records the approved payment', async () => {
    // One store, so the single store the pact keeps (eachLike) adds up to the total, as payments checks.
    const store = examples.OrderPlacedV2.default().stores[0];
    const placed = examples.OrderPlacedV2.default({ stores: store ? [store] : [], total: store?.subtotal });
    await (await pacts.with('orders')).expects(
      {
        description: 'an order was placed',
        event: OrderPlacedV2,
        given: [
          {
            name: states.productForSale,
            params: { productId: 'prd_101', storeId: 'sto_1', currencyCode: 'EUR', amountMinor: 425 },
          },
        ],
        body: jsonViewMatching(OrderPlacedV2.codec.toJson(placed), [
          'orderId',
          'customerId',
          'total.currencyCode',
          'total.amountMinor',
          'paymentMethodId',
          'stores.storeId',
          'stores.subtotal.currencyCode',
          'stores.subtotal.amountMinor',
        ]),
        subject: OrderPlacedV2.subject({ orderId: placed.orderId }),
      },
      async (message) => {
        await deliverPactMessage(message, OrderPlacedV2, handlers.onOrderPlacedV2);
        expect(await findPayment(world.db, placed.orderId)).toMatchObject({
          orderId: placed.orderId,
          customerId: placed.customerId,
          status: 'approved',
          amount: { currency: 'EUR', amountMinor: 640 },
        });
        expect((await world.outbox()).map((m) => m.type)).toEqual(['payments.v1.PaymentApproved']);
      },
    );
  });

  it('OrderCancelled: refunds the charged payment of the order (compensation)', async () => {
    const cancelled = examples.OrderCancelledV1.stockUnavailable();
    await (await pacts.with('orders')).expects(
      {
        description: 'a paid order was cancelled',
        event: OrderCancelledV1,
        given: [
          {
            name: states.orderPaid,
            params: { orderId: cancelled.orderId, productId: 'prd_101', quantity: 2 },
          },
        ],
        body: jsonViewMatching(OrderCancelledV1.codec.toJson(cancelled), ['orderId']),
        subject: OrderCancelledV1.subject({ orderId: cancelled.orderId }),
      },
      async (message) => {
        // Payments' own prior state: the order was charged (through its real handler).
        await handlers.onOrderPlacedV2(
          ...consumed(OrderPlacedV2, examples.OrderPlacedV2.default({ orderId: cancelled.orderId })),
        );
        await deliverPactMessage(message, OrderCancelledV1, handlers.onOrderCancelled);
        expect(await findPayment(world.db, cancelled.orderId)).toMatchObject({ status: 'refunded' });
        expect((await world.outbox()).map((m) => m.type)).toEqual([
          'payments.v1.PaymentApproved',
          'payments.v1.PaymentRefunded',
        ]);
      },
    );
  });
});
