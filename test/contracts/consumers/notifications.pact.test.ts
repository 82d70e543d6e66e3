// Consumer contract of notifications: orders' outcome events (ids only; details come from a GetOrder
// callback) and its own delivery jobs, each pushed through the real codec into the real handlers.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverPactMessage, jsonViewMatching } from '../../../src/contracts/index.ts';
import {
  DeliveryRequestedV1,
  examples,
  OrderCancelledV1,
  OrderCompletedV1,
  OrderPlacedV1,
} from '../../../src/reference/notifications/generated/index.ts';
import {
  createDeliveryWorker,
  createNotificationsHandlers,
  type GetOrder,
} from '../../../src/reference/notifications/handlers.ts';
import { consumerPacts } from '../support/consumer-pacts.ts';
import { states } from '../support/provider-states.ts';
import { openServiceWorld, type ServiceWorld } from '../support/service-world.ts';

const pacts = consumerPacts('notifications');
let world: ServiceWorld;
/** The GetOrder callback answers from the generated example (request/reply is not part of these pacts). */
const getOrder: GetOrder = async (orderId) => {
  const reply = examples.GetOrderReplyV1.default();
  return { ...reply, order: reply.order && { ...reply.order, orderId } };
};
const handlers = () => createNotificationsHandlers({ kit: world.kit, getOrder });

beforeAll(async () => {
  world = await openServiceWorld('notifications');
});
beforeEach(async () => {
  await world.clear();
});
afterAll(async () => {
  await pacts.finalize();
  await world.close();
});

const notificationsOf = async (orderId: string) =>
  (
    await world.db.query<{ outcome: string }>('SELECT outcome FROM notifications WHERE order_id = $1', [
      orderId,
    ])
  ).rows.map((r) => r.outcome);

describe('notifications ← orders', () => {
  it('OrderPlaced: writes an "order received" notification from the event alone and queues its delivery', async () => {
    const placed = examples.OrderPlacedV1.default();
    await (await pacts.with('orders')).expects(
      {
        description: 'an order was placed',
        event: OrderPlacedV1,
        given: [
          {
            name: states.productForSale,
            params: { productId: 'prd_101', storeId: 'sto_1', currencyCode: 'EUR', amountMinor: 425 },
          },
        ],
        body: jsonViewMatching(OrderPlacedV1.codec.toJson(placed), [
          'orderId',
          'customerId',
          'total.currencyCode',
          'total.amountMinor',
        ]),
        subject: OrderPlacedV1.subject({ orderId: placed.orderId }),
      },
      async (message) => {
        await deliverPactMessage(message, OrderPlacedV1, handlers().onOrderPlaced);
        expect(await notificationsOf(placed.orderId)).toEqual(['received']);
        expect((await world.outbox()).map((m) => m.type)).toEqual(['notifications.v1.DeliveryRequested']);
      },
    );
  });

  it('OrderCompleted: writes one notification and queues its delivery', async () => {
    const completed = examples.OrderCompletedV1.default();
    await (await pacts.with('orders')).expects(
      {
        description: 'an order was completed',
        event: OrderCompletedV1,
        given: [
          {
            name: states.orderPaid,
            params: { orderId: completed.orderId, productId: 'prd_101', quantity: 2 },
          },
        ],
        body: jsonViewMatching(OrderCompletedV1.codec.toJson(completed), ['orderId', 'customerId']),
        subject: OrderCompletedV1.subject({ orderId: completed.orderId }),
      },
      async (message) => {
        await deliverPactMessage(message, OrderCompletedV1, handlers().onOrderCompleted);
        expect(await notificationsOf(completed.orderId)).toEqual(['completed']);
        expect((await world.outbox()).map((m) => m.type)).toEqual(['notifications.v1.DeliveryRequested']);
      },
    );
  });

  it('OrderCancelled: writes one cancellation notification', async () => {
    const cancelled = examples.OrderCancelledV1.default();
    await (await pacts.with('orders')).expects(
      {
        description: 'an order was cancelled',
        event: OrderCancelledV1,
        given: [
          {
            name: states.orderPlaced,
            params: { orderId: cancelled.orderId, productId: 'prd_101', quantity: 2 },
          },
        ],
        body: jsonViewMatching(OrderCancelledV1.codec.toJson(cancelled), ['orderId', 'customerId']),
        subject: OrderCancelledV1.subject({ orderId: cancelled.orderId }),
      },
      async (message) => {
        await deliverPactMessage(message, OrderCancelledV1, handlers().onOrderCancelled);
        expect(await notificationsOf(cancelled.orderId)).toEqual(['cancelled']);
      },
    );
  });
});

describe('notifications ← notifications (delivery work queue)', () => {
  it('DeliveryRequested: a delivery worker records the delivery once', async () => {
    const requested = examples.DeliveryRequestedV1.default();
    await (await pacts.with('notifications')).expects(
      {
        description: 'a notification delivery was requested',
        event: DeliveryRequestedV1,
        given: [
          {
            name: states.orderCompletedKnown,
            params: { orderId: requested.orderId, customerId: requested.customerId },
          },
        ],
        body: jsonViewMatching(DeliveryRequestedV1.codec.toJson(requested), ['notificationId']),
        subject: DeliveryRequestedV1.subject({ notificationId: requested.notificationId }),
      },
      async (message) => {
        await deliverPactMessage(message, DeliveryRequestedV1, createDeliveryWorker(world.kit, 'worker-1'));
        const { rows } = await world.db.query<{ job_id: string; worker: string }>(
          'SELECT job_id, worker FROM deliveries',
        );
        expect(rows).toEqual([{ job_id: requested.notificationId, worker: 'worker-1' }]);
      },
    );
  });
});
