// Consumer contract of orders: the stores, payments and inventory events it receives, each pushed through
// the real codec into orders' real handlers on real storage (PGlite).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverPactMessage, jsonViewMatching } from '../../../src/contracts/index.ts';
import * as events from '../../../src/reference/orders/generated/events.ts';
import { examples } from '../../../src/reference/orders/generated/index.ts';
import { createOrdersHandlers, createOrdersResponders } from '../../../src/reference/orders/handlers.ts';
import { findOrder, loadKnownProducts } from '../../../src/reference/orders/storage.ts';
import { consumerPacts } from '../support/consumer-pacts.ts';
import { consumed, request } from '../support/messages.ts';
import { states } from '../support/provider-states.ts';
import { publishedBy } from '../support/published.ts';
import { openServiceWorld, type ServiceWorld } from '../support/service-world.ts';

const pacts = consumerPacts('orders');
let world: ServiceWorld;
let nextOrderId = 'ord_42';
const handlers = () => createOrdersHandlers({ kit: world.kit });

beforeAll(async () => {
  world = await openServiceWorld('orders');
});
beforeEach(async () => {
  await world.clear();
});
afterAll(async () => {
  await pacts.finalize();
  await world.close();
});

/** Orders' own prior state: a known product and an order placed (and paid) through its real command. */
async function orderInProgress(orderId: string, stage: 'placed' | 'paid'): Promise<void> {
  await handlers().onProductAdded(...consumed(events.ProductAddedV1, examples.ProductAddedV1.default()));
  nextOrderId = orderId;
  const reply = await createOrdersResponders({
    kit: world.kit,
    newOrderId: () => nextOrderId,
  }).handlePlaceOrder(
    request(events.PlaceOrderV1, {
      idempotencyKey: '',
      customerId: 'cus_17',
      lines: [{ productId: 'prd_101', quantity: 2 }],
      paymentMethodId: 'pm_visa_4242',
    }),
  );
  expect(reply.ok).toBe(true);
  if (stage === 'paid')
    await handlers().onPaymentApproved(
      ...consumed(events.PaymentApprovedV1, examples.PaymentApprovedV1.default({ orderId })),
    );
}

describe('orders ← stores (local price list)', () => {
  it('ProductAdded: adds the product with its price', async () => {
    const added = examples.ProductAddedV1.default();
    await (await pacts.with('stores')).expects(
      {
        description: 'a product was added',
        event: events.ProductAddedV1,
        given: [{ name: states.storeExists, params: { storeId: added.storeId } }],
        body: jsonViewMatching(events.ProductAddedV1.codec.toJson(added), [
          'productId',
          'storeId',
          'price.currencyCode',
          'price.amountMinor',
          'addedAt',
        ]),
        subject: events.ProductAddedV1.subject({ productId: added.productId }),
      },
      async (message) => {
        await deliverPactMessage(message, events.ProductAddedV1, handlers().onProductAdded);
        expect((await loadKnownProducts(world.db, [added.productId])).get(added.productId)).toEqual({
          productId: added.productId,
          storeId: added.storeId,
          price: { currency: 'EUR', amountMinor: 320 },
          removed: false,
        });
      },
    );
  });

  it('ProductPriceChanged: takes the new price', async () => {
    const changed = examples.ProductPriceChangedV1.default();
    await (await pacts.with('stores')).expects(
      {
        description: 'a product price changed',
        event: events.ProductPriceChangedV1,
        given: [
          {
            name: states.productInCatalogue,
            params: { storeId: changed.storeId, productId: changed.productId },
          },
        ],
        body: jsonViewMatching(events.ProductPriceChangedV1.codec.toJson(changed), [
          'productId',
          'storeId',
          'price.currencyCode',
          'price.amountMinor',
          'changedAt',
        ]),
        subject: events.ProductPriceChangedV1.subject({ productId: changed.productId }),
      },
      async (message) => {
        await handlers().onProductAdded(
          ...consumed(
            events.ProductAddedV1,
            examples.ProductAddedV1.default({ productId: changed.productId }),
          ),
        );
        await deliverPactMessage(message, events.ProductPriceChangedV1, handlers().onProductPriceChanged);
        expect(
          (await loadKnownProducts(world.db, [changed.productId])).get(changed.productId)?.price,
        ).toEqual({ currency: 'EUR', amountMinor: 340 });
      },
    );
  });

  it('ProductRemoved: stops selling the product', async () => {
    const removed = examples.ProductRemovedV1.default();
    await (await pacts.with('stores')).expects(
      {
        description: 'a product was removed',
        event: events.ProductRemovedV1,
        given: [
          {
            name: states.productInCatalogue,
            params: { storeId: removed.storeId, productId: removed.productId },
          },
        ],
        body: jsonViewMatching(events.ProductRemovedV1.codec.toJson(removed), [
          'productId',
          'storeId',
          'removedAt',
        ]),
        subject: events.ProductRemovedV1.subject({ productId: removed.productId }),
      },
      async (message) => {
        await deliverPactMessage(message, events.ProductRemovedV1, handlers().onProductRemoved);
        expect((await loadKnownProducts(world.db, [removed.productId])).get(removed.productId)?.removed).toBe(
          true,
        );
      },
    );
  });
});

describe('orders ← payments (saga)', () => {
  it('PaymentApproved: marks the order paid with the payment id', async () => {
    const approved = examples.PaymentApprovedV1.default();
    await (await pacts.with('payments')).expects(
      {
        description: 'a payment was approved',
        event: events.PaymentApprovedV1,
        body: jsonViewMatching(events.PaymentApprovedV1.codec.toJson(approved), ['orderId', 'paymentId']),
        subject: events.PaymentApprovedV1.subject({ orderId: approved.orderId }),
      },
      async (message) => {
        await orderInProgress(approved.orderId, 'placed');
        // Only what handling the PaymentApproved published (placing the order published its own events).
        const published = await publishedBy(world, () =>
          deliverPactMessage(message, events.PaymentApprovedV1, handlers().onPaymentApproved),
        );
        expect(await findOrder(world.db, approved.orderId)).toMatchObject({
          status: 'paid',
          paymentId: approved.paymentId,
        });
        expect(published.map((m) => m.type)).toEqual(['orders.v1.OrderPaid']);
      },
    );
  });

  it('PaymentDeclined: cancels the order', async () => {
    const declined = examples.PaymentDeclinedV1.default();
    await (await pacts.with('payments')).expects(
      {
        description: 'a payment was declined',
        event: events.PaymentDeclinedV1,
        given: [{ name: states.gatewayDeclines, params: { paymentMethodId: 'pm_declined_0001' } }],
        body: jsonViewMatching(events.PaymentDeclinedV1.codec.toJson(declined), ['orderId']),
        subject: events.PaymentDeclinedV1.subject({ orderId: declined.orderId }),
      },
      async (message) => {
        await orderInProgress(declined.orderId, 'placed');
        await deliverPactMessage(message, events.PaymentDeclinedV1, handlers().onPaymentDeclined);
        expect(await findOrder(world.db, declined.orderId)).toMatchObject({
          status: 'cancelled',
          cancelReason: 'payment_declined',
        });
      },
    );
  });
});

describe('orders ← inventory (saga)', () => {
  it('StockReserved: completes the paid order', async () => {
    const reserved = examples.StockReservedV1.default();
    await (await pacts.with('inventory')).expects(
      {
        description: 'stock was reserved for an order',
        event: events.StockReservedV1,
        given: [
          { name: states.productInStock, params: { productId: 'prd_101', storeId: 'sto_1', onHand: 120 } },
        ],
        body: jsonViewMatching(events.StockReservedV1.codec.toJson(reserved), ['orderId']),
        subject: events.StockReservedV1.subject({ orderId: reserved.orderId }),
      },
      async (message) => {
        await orderInProgress(reserved.orderId, 'paid');
        await deliverPactMessage(message, events.StockReservedV1, handlers().onStockReserved);
        expect(await findOrder(world.db, reserved.orderId)).toMatchObject({ status: 'completed' });
      },
    );
  });

  it('StockReservationFailed: cancels the paid order', async () => {
    const failed = examples.StockReservationFailedV1.default();
    await (await pacts.with('inventory')).expects(
      {
        description: 'stock could not be reserved for an order',
        event: events.StockReservationFailedV1,
        given: [
          { name: states.productInStock, params: { productId: 'prd_101', storeId: 'sto_1', onHand: 0 } },
        ],
        body: jsonViewMatching(events.StockReservationFailedV1.codec.toJson(failed), ['orderId']),
        subject: events.StockReservationFailedV1.subject({ orderId: failed.orderId }),
      },
      async (message) => {
        await orderInProgress(failed.orderId, 'paid');
        await deliverPactMessage(
          message,
          events.StockReservationFailedV1,
          handlers().onStockReservationFailed,
        );
        expect(await findOrder(world.db, failed.orderId)).toMatchObject({
          status: 'cancelled',
          cancelReason: 'stock_unavailable',
        });
      },
    );
  });
});
