// The Order aggregate, event-sourced: its private events (contracts/proto/orders/es/v1/order_events.proto,
// declared in asyncapi/orders.yaml under info.x-eventkit-aggregates), how the domain's events become them,
// and how replaying them rebuilds an order. Integration events are still made in integration-events.ts.
import { fileURLToPath } from 'node:url';
import { type AggregateDefinition, type DomainEvent, protobufEvents } from 'eventkit/eventstore';
import protobuf from 'protobufjs';
import {
  fromTimestamp,
  type MoneyValue,
  minorUnits,
  type TimestampValue,
  toTimestamp,
} from '../platform/proto-values.ts';
import type { CancelReason, Money, Order, OrdersDomainEvent } from './domain/order.ts';

export type OrderEvent =
  | DomainEvent<
      'orders.es.v1.OrderPlaced',
      {
        orderId: string;
        customerId: string;
        paymentMethodId: string;
        lines: { productId: string; storeId: string; quantity: number; unitPrice: MoneyValue }[];
        total: MoneyValue;
        at: TimestampValue;
      }
    >
  | DomainEvent<'orders.es.v1.OrderPaid', { paymentId: string; at: TimestampValue }>
  | DomainEvent<'orders.es.v1.OrderCompleted', { at: TimestampValue }>
  | DomainEvent<'orders.es.v1.OrderCancelled', { reason: string; at: TimestampValue }>;

export const ORDER_AGGREGATE = 'Order';

const PROTO_ROOT = fileURLToPath(new URL('../../../contracts/proto/', import.meta.url));

/** The protobufjs descriptor of the order events (with their imports), read once from the protos. */
function loadDescriptor(): Record<string, unknown> {
  const root = new protobuf.Root();
  // Imports resolve against the proto root; google/protobuf/* come with protobufjs.
  root.resolvePath = (_origin, target) =>
    target.startsWith('google/protobuf/') ? target : `${PROTO_ROOT}${target}`;
  root.loadSync('orders/es/v1/order_events.proto', { keepCase: true });
  return root.toJSON() as Record<string, unknown>;
}

const money = (m: Money): MoneyValue => ({ currencyCode: m.currency, amountMinor: m.amountMinor });
const fromMoney = (m: MoneyValue | undefined): Money => ({
  currency: m?.currencyCode || 'EUR',
  amountMinor: minorUnits(m),
});

/** The domain's events as event-sourcing events (one per domain event, in order). */
export function toOrderEvents(events: readonly OrdersDomainEvent[]): OrderEvent[] {
  return events.map(toOrderEvent);
}

function toOrderEvent(event: OrdersDomainEvent): OrderEvent {
  const { order } = event;
  const at = toTimestamp(order.updatedAt);
  switch (event.kind) {
    case 'OrderPlaced':
      return {
        type: 'orders.es.v1.OrderPlaced',
        value: {
          orderId: order.orderId,
          customerId: order.customerId,
          paymentMethodId: order.paymentMethodId,
          lines: order.lines.map((l) => ({
            productId: l.productId,
            storeId: l.storeId,
            quantity: l.quantity,
            unitPrice: money(l.unitPrice),
          })),
          total: money(order.total),
          at: toTimestamp(order.placedAt),
        },
      };
    case 'OrderPaid':
      return { type: 'orders.es.v1.OrderPaid', value: { paymentId: order.paymentId ?? '', at } };
    case 'OrderCompleted':
      return { type: 'orders.es.v1.OrderCompleted', value: { at } };
    case 'OrderCancelled':
      return { type: 'orders.es.v1.OrderCancelled', value: { reason: order.cancelReason ?? '', at } };
  }
}

/** Replays one event onto the order (undefined before OrderPlaced). */
export function applyOrderEvent(order: Order | undefined, event: OrderEvent): Order | undefined {
  if (event.type === 'orders.es.v1.OrderPlaced') {
    const v = event.value;
    const placedAt = fromTimestamp(v.at);
    return {
      orderId: v.orderId,
      customerId: v.customerId,
      paymentMethodId: v.paymentMethodId,
      lines: v.lines.map((l) => ({
        productId: l.productId,
        storeId: l.storeId,
        quantity: l.quantity,
        unitPrice: fromMoney(l.unitPrice),
      })),
      total: fromMoney(v.total),
      status: 'placed',
      placedAt,
      updatedAt: placedAt,
    };
  }
  if (!order) return order;
  switch (event.type) {
    case 'orders.es.v1.OrderPaid':
      return {
        ...order,
        status: 'paid',
        paymentId: event.value.paymentId,
        updatedAt: fromTimestamp(event.value.at),
      };
    case 'orders.es.v1.OrderCompleted':
      return { ...order, status: 'completed', updatedAt: fromTimestamp(event.value.at) };
    case 'orders.es.v1.OrderCancelled':
      return {
        ...order,
        status: 'cancelled',
        cancelReason: event.value.reason as CancelReason,
        updatedAt: fromTimestamp(event.value.at),
      };
  }
}

let definition: AggregateDefinition<Order | undefined, OrderEvent> | undefined;

export function orderAggregate(): AggregateDefinition<Order | undefined, OrderEvent> {
  definition ??= {
    type: ORDER_AGGREGATE,
    initial: () => undefined,
    apply: applyOrderEvent,
    codec: protobufEvents<OrderEvent>(loadDescriptor(), [
      'orders.es.v1.OrderPlaced',
      'orders.es.v1.OrderPaid',
      'orders.es.v1.OrderCompleted',
      'orders.es.v1.OrderCancelled',
    ]),
  };
  return definition;
}
