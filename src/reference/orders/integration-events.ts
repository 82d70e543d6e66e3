// The ONE place where orders' domain events become integration events (the public contract in
// asyncapi/orders.yaml). Domain names and shapes stay private; only the generated types leave.
import type { OutboundMessage } from '../../runtime/api.ts';
import { toTimestamp } from '../platform/proto-values.ts';
import type { CancelReason, Money, Order, OrderLine, OrdersDomainEvent } from './domain/order.ts';
import { type commonV1, ordersEnvelopes, type ordersV1, type ordersV2 } from './generated/index.ts';

export function money(value: Money): commonV1.Money {
  return { currencyCode: value.currency, amountMinor: value.amountMinor };
}

function lineItem(line: OrderLine): ordersV1.LineItem {
  return {
    productId: line.productId,
    storeId: line.storeId,
    quantity: line.quantity,
    unitPrice: money(line.unitPrice),
  };
}

function orderLineV2(line: OrderLine): ordersV2.OrderLine {
  return {
    productId: line.productId,
    quantity: line.quantity,
    unitPrice: money(line.unitPrice),
    lineTotal: money({
      currency: line.unitPrice.currency,
      amountMinor: line.unitPrice.amountMinor * line.quantity,
    }),
  };
}

/** v2 groups the lines by store (stores in the order their first line was listed), each with its subtotal. */
function storeShares(order: Order): ordersV2.StoreShare[] {
  const byStore = new Map<string, OrderLine[]>();
  for (const line of order.lines) byStore.set(line.storeId, [...(byStore.get(line.storeId) ?? []), line]);
  return [...byStore].map(([storeId, lines]) => ({
    storeId,
    lines: lines.map(orderLineV2),
    subtotal: money({
      currency: order.total.currency,
      amountMinor: lines.reduce((sum, l) => sum + l.unitPrice.amountMinor * l.quantity, 0),
    }),
  }));
}

const cancelReasons: Record<CancelReason, ordersV1.CancelReason> = {
  payment_declined: 'CANCEL_REASON_PAYMENT_DECLINED',
  stock_unavailable: 'CANCEL_REASON_STOCK_UNAVAILABLE',
};

export function cancelReason(reason: CancelReason | undefined): ordersV1.CancelReason {
  return reason ? cancelReasons[reason] : 'CANCEL_REASON_UNSPECIFIED';
}

/** Outbox messages for the domain events of one transaction, in order. */
export function toIntegrationEvents(events: readonly OrdersDomainEvent[]): OutboundMessage[] {
  return events.flatMap(toIntegrationEvent);
}

function toIntegrationEvent(event: OrdersDomainEvent): OutboundMessage | OutboundMessage[] {
  const order = event.order;
  switch (event.kind) {
    // Migration window: the same state change goes out as v1 (notifications) and v2 (payments), in one
    // outbox transaction, so neither version can be published without the other. Drop v1 once
    // `eventkit lint` reports it retirable (version-retirable: no consumer left).
    case 'OrderPlaced':
      return [
        ordersEnvelopes.publishOrderPlaced({
          orderId: order.orderId,
          customerId: order.customerId,
          items: order.lines.map(lineItem),
          total: money(order.total),
          paymentMethodId: order.paymentMethodId,
          placedAt: toTimestamp(order.placedAt),
        }),
        ordersEnvelopes.publishOrderPlacedV2({
          orderId: order.orderId,
          customerId: order.customerId,
          stores: storeShares(order),
          total: money(order.total),
          paymentMethodId: order.paymentMethodId,
          placedAt: toTimestamp(order.placedAt),
        }),
      ];
    case 'OrderPaid':
      return ordersEnvelopes.publishOrderPaid({
        orderId: order.orderId,
        customerId: order.customerId,
        paymentId: order.paymentId ?? '',
        items: order.lines.map(lineItem),
        amountPaid: money(order.total),
        paidAt: toTimestamp(order.updatedAt),
      });
    case 'OrderCompleted':
      return ordersEnvelopes.publishOrderCompleted({
        orderId: order.orderId,
        customerId: order.customerId,
        completedAt: toTimestamp(order.updatedAt),
      });
    case 'OrderCancelled':
      return ordersEnvelopes.publishOrderCancelled({
        orderId: order.orderId,
        customerId: order.customerId,
        reason: cancelReason(order.cancelReason),
        cancelledAt: toTimestamp(order.updatedAt),
      });
  }
}

const statuses: Record<Order['status'], ordersV1.OrderStatus> = {
  placed: 'ORDER_STATUS_PLACED',
  paid: 'ORDER_STATUS_PAID',
  completed: 'ORDER_STATUS_COMPLETED',
  cancelled: 'ORDER_STATUS_CANCELLED',
};

/** The GetOrder view of an order. */
export function orderView(order: Order): ordersV1.OrderView {
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    status: statuses[order.status],
    items: order.lines.map(lineItem),
    total: money(order.total),
    paymentId: order.paymentId ?? '',
    cancelReason: cancelReason(order.cancelReason),
    placedAt: toTimestamp(order.placedAt),
    updatedAt: toTimestamp(order.updatedAt),
  };
}
