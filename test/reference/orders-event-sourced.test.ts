// The orders service keeps its Order aggregate event-sourced: every saga step appends private events at the
// version it decided on, the `orders` read model and the outbox change in the same transaction, replaying the
// events rebuilds the order, and the order history is a projection of the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepository, createSqlEventStore, type SqlEventStore } from '../../src/eventstore/index.ts';
import * as events from '../../src/reference/orders/generated/events.ts';
import { examples } from '../../src/reference/orders/generated/index.ts';
import {
  createOrdersHandlers,
  createOrdersResponders,
  type OrdersDeps,
} from '../../src/reference/orders/handlers.ts';
import { ORDER_AGGREGATE, orderAggregate } from '../../src/reference/orders/order-events.ts';
import { createOrderHistory, orderHistory } from '../../src/reference/orders/order-history.ts';
import { findOrder } from '../../src/reference/orders/storage.ts';
import { consumed, request } from '../contracts/support/messages.ts';
import { openServiceWorld, type ServiceWorld } from '../contracts/support/service-world.ts';

let world: ServiceWorld;
let store: SqlEventStore;
let deps: OrdersDeps;
let ids = 0;

beforeAll(async () => {
  world = await openServiceWorld('orders');
  store = await createSqlEventStore({ db: world.db });
  deps = { kit: world.kit, eventStore: Promise.resolve(store), newOrderId: () => `ord_es_${++ids}` };
  await createOrdersHandlers(deps).onProductAdded(
    ...consumed(
      events.ProductAddedV1,
      examples.ProductAddedV1.default({
        productId: 'prd_es',
        storeId: 'sto_1',
        price: { currencyCode: 'EUR', amountMinor: 250 },
      }),
    ),
  );
});
afterAll(async () => world?.close());

async function place(quantity = 2): Promise<string> {
  const reply = await createOrdersResponders(deps).handlePlaceOrder(
    request(events.PlaceOrderV1, {
      idempotencyKey: '',
      customerId: 'cus_es',
      lines: [{ productId: 'prd_es', quantity }],
      paymentMethodId: 'pm_visa_4242',
    }),
  );
  expect(reply.ok).toBe(true);
  return reply.orderId;
}

const types = async (orderId: string) =>
  (await store.load(ORDER_AGGREGATE, orderId)).events.map((e) => e.type.split('.').at(-1));

describe('orders, event-sourced', () => {
  it('placing an order appends OrderPlaced with the priced lines; replay equals the read model', async () => {
    const orderId = await place(3);
    expect(await types(orderId)).toEqual(['OrderPlaced']);
    const replayed = await replay(orderId);
    const row = await findOrder(world.db, orderId);
    expect(replayed).toEqual(row);
    expect(row?.total).toEqual({ currency: 'EUR', amountMinor: 750 });
  });

  it('saga steps append events at the loaded version; a redelivered or late event appends nothing', async () => {
    const orderId = await place();
    const handlers = createOrdersHandlers(deps);
    const approved = consumed(
      events.PaymentApprovedV1,
      examples.PaymentApprovedV1.default({ orderId, paymentId: 'pay_9' }),
    );
    await handlers.onPaymentApproved(...approved);
    await handlers.onPaymentApproved(...approved); // same message id: the inbox drops it
    await handlers.onStockReserved(
      ...consumed(events.StockReservedV1, examples.StockReservedV1.default({ orderId })),
    );
    // A late decline for a completed order is ignored by the domain: nothing appended.
    await handlers.onPaymentDeclined(
      ...consumed(events.PaymentDeclinedV1, examples.PaymentDeclinedV1.default({ orderId })),
    );
    expect(await types(orderId)).toEqual(['OrderPlaced', 'OrderPaid', 'OrderCompleted']);
    const row = await findOrder(world.db, orderId);
    expect(row?.status).toBe('completed');
    expect(row?.paymentId).toBe('pay_9');
    expect(await replay(orderId)).toEqual(row);
  });

  it('a declined payment cancels: OrderCancelled with the reason', async () => {
    const orderId = await place();
    await createOrdersHandlers(deps).onPaymentDeclined(
      ...consumed(events.PaymentDeclinedV1, examples.PaymentDeclinedV1.default({ orderId })),
    );
    expect(await types(orderId)).toEqual(['OrderPlaced', 'OrderCancelled']);
    expect((await replay(orderId))?.cancelReason).toBe('payment_declined');
  });

  it('the order history is a projection of the store: caught up, idempotent, rebuilt by replay', async () => {
    const orderId = await place();
    await createOrdersHandlers(deps).onPaymentApproved(
      ...consumed(
        events.PaymentApprovedV1,
        examples.PaymentApprovedV1.default({ orderId, paymentId: 'pay_h' }),
      ),
    );
    const history = await createOrderHistory(world.db, store);
    await history.catchUp();
    const entries = await orderHistory(world.db, orderId);
    expect(entries.map((e) => [e.version, e.event, e.detail])).toEqual([
      [1, 'OrderPlaced', ''],
      [2, 'OrderPaid', 'pay_h'],
    ]);
    await history.catchUp();
    expect(await orderHistory(world.db, orderId)).toEqual(entries);
    await history.rebuild();
    expect(await orderHistory(world.db, orderId)).toEqual(entries);
  });
});

/** The order as its events say (the aggregate, not the read model). */
async function replay(orderId: string) {
  return (await createRepository(store, orderAggregate()).load(orderId)).state;
}
