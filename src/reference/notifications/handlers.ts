// Notification events in (ids only) → a GetOrder request/reply callback to orders for the details →
// one notification + one delivery job on the work queue. Delivery workers compete for the jobs.

import type { Queryable } from 'eventkit/outbox';
import type { ConsumedEvent, OutboundMessage } from '../../runtime/api.ts';
import { PermanentError, TransientError } from '../../runtime/errors.ts';
import type { ServiceKit } from '../platform/index.ts';
import { minorUnits } from '../platform/proto-values.ts';
import { composeNotification, type OrderFacts, type OrderOutcome } from './domain/notification.ts';
import { notificationsConsumers, type notificationsV1, type ordersV1 } from './generated/index.ts';
import { deliveryJob } from './integration-events.ts';

/** The GetOrder callback (request/reply to orders). */
export type GetOrder = (orderId: string) => Promise<ordersV1.GetOrderReply>;

export interface NotificationsDeps {
  readonly kit: ServiceKit;
  readonly getOrder: GetOrder;
  readonly now?: () => Date;
}

const cancelText: Record<string, string> = {
  CANCEL_REASON_PAYMENT_DECLINED: 'payment declined',
  CANCEL_REASON_STOCK_UNAVAILABLE: 'out of stock',
  CANCEL_REASON_CUSTOMER_REQUESTED: 'cancelled on request',
};

async function readOrder(getOrder: GetOrder, orderId: string): Promise<OrderFacts> {
  let reply: ordersV1.GetOrderReply;
  try {
    reply = await getOrder(orderId);
  } catch (error) {
    throw new TransientError(`GetOrder ${orderId} failed: ${(error as Error).message}`, { cause: error });
  }
  if (!reply.found || !reply.order) throw new PermanentError(`orders does not know order ${orderId}`);
  const o = reply.order;
  return {
    orderId: o.orderId,
    customerId: o.customerId,
    status: o.status,
    totalMinor: minorUnits(o.total),
    currency: o.total?.currencyCode ?? 'EUR',
    ...(cancelText[o.cancelReason] ? { cancelReason: cancelText[o.cancelReason] } : {}),
  };
}

/** How an order ended: what the order-history read model counts. */
type FinalOutcome = Exclude<OrderOutcome, 'received'>;

/** The order-history read model: one row per customer, updated once per order event id. */
export async function applyToHistory(
  tx: Queryable,
  eventId: string,
  customerId: string,
  orderId: string,
  outcome: FinalOutcome,
  at: Date,
): Promise<void> {
  const fresh = await tx.query(
    'INSERT INTO customer_order_history_applied (event_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING event_id',
    [eventId],
  );
  if (fresh.rows.length === 0) return;
  const completed = outcome === 'completed' ? 1 : 0;
  await tx.query(
    `INSERT INTO customer_order_history (customer_id, completed, cancelled, last_order_id, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (customer_id) DO UPDATE SET completed = customer_order_history.completed + $2,
       cancelled = customer_order_history.cancelled + $3, last_order_id = $4, updated_at = $5`,
    [customerId, completed, 1 - completed, orderId, at],
  );
}

export interface NotificationsEventHandlers {
  readonly onOrderPlaced: (event: ConsumedEvent<ordersV1.OrderPlaced>) => Promise<void>;
  readonly onOrderCompleted: (event: ConsumedEvent<ordersV1.OrderCompleted>) => Promise<void>;
  readonly onOrderCancelled: (event: ConsumedEvent<ordersV1.OrderCancelled>) => Promise<void>;
}

const jobPrefix: Record<OrderOutcome, string> = { received: 'r', completed: 'c', cancelled: 'x' };

/** One notification per order and outcome, and its delivery job (through the outbox); none when already there. */
async function queueNotification(
  tx: Queryable,
  outcome: OrderOutcome,
  facts: OrderFacts,
  at: Date,
): Promise<OutboundMessage[]> {
  const text = composeNotification(outcome, facts);
  const jobId = `ntf_${jobPrefix[outcome]}_${facts.orderId.replace(/^ord_/, '')}`;
  const inserted = await tx.query(
    `INSERT INTO notifications (order_id, outcome, job_id, recipient, subject, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT DO NOTHING RETURNING job_id`,
    [facts.orderId, outcome, jobId, text.recipient, text.subject, text.body, at],
  );
  return inserted.rows.length > 0 ? [deliveryJob(jobId, outcome, facts, text, at)] : [];
}

export function createNotificationsHandlers(deps: NotificationsDeps): NotificationsEventHandlers {
  const { kit } = deps;
  const now = deps.now ?? (() => new Date());

  const notify =
    (operation: 'onOrderCompleted' | 'onOrderCancelled', outcome: FinalOutcome) =>
    async (event: ConsumedEvent<{ orderId: string; customerId: string }>) => {
      const consumer = notificationsConsumers[operation].durable;
      const { orderId, customerId } = event.payload;
      // The callback happens outside the transaction (network); a redelivery asks again, harmlessly.
      const already = await kit.db.query('SELECT 1 FROM notifications WHERE order_id = $1 AND outcome = $2', [
        orderId,
        outcome,
      ]);
      const facts = already.rows.length > 0 ? undefined : await readOrder(deps.getOrder, orderId);
      await kit.work.handleOnce(consumer, event, async (tx) => {
        const at = now();
        await applyToHistory(tx, event.id, customerId, orderId, outcome, at);
        if (!facts) return [];
        return queueNotification(tx, outcome, facts, at);
      });
    };

  return {
    // orders.v1.OrderPlaced carries the total, so "order received" needs no GetOrder callback.
    onOrderPlaced: async (event) => {
      const { orderId, customerId, total } = event.payload;
      if (!orderId || !customerId)
        throw new PermanentError(`malformed OrderPlaced ${event.id}: order id and customer id are required`);
      const facts: OrderFacts = {
        orderId,
        customerId,
        status: 'ORDER_STATUS_PLACED',
        totalMinor: minorUnits(total),
        currency: total?.currencyCode ?? 'EUR',
      };
      await kit.work.handleOnce(notificationsConsumers.onOrderPlaced.durable, event, (tx) =>
        queueNotification(tx, 'received', facts, now()),
      );
    },
    onOrderCompleted: notify('onOrderCompleted', 'completed'),
    onOrderCancelled: notify('onOrderCancelled', 'cancelled'),
  };
}

/** One competing delivery worker: "sends" the message (here: records it) once per job. */
export function createDeliveryWorker(kit: ServiceKit, worker: string, now: () => Date = () => new Date()) {
  return async (event: ConsumedEvent<notificationsV1.DeliveryRequested>): Promise<void> => {
    await kit.work.handleOnce(notificationsConsumers.deliverNotification.durable, event, async (tx) => {
      await tx.query(
        'INSERT INTO deliveries (job_id, worker, delivered_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [event.payload.notificationId, worker, now()],
      );
      return [];
    });
  };
}
