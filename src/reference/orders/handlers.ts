// Integration events and requests in → orders' domain. Every effect goes through the inbox (once per
// message) and leaves through the outbox (same transaction); see eventkit/outbox (createUnitOfWork).
import { randomBytes } from 'node:crypto';
import { createRepository, createSqlEventStore, type SqlEventStore } from 'eventkit/eventstore';
import type { Queryable } from 'eventkit/outbox';
import type { ConsumedEvent } from '../../runtime/api.ts';
import { PermanentError } from '../../runtime/errors.ts';
import type { ServiceKit } from '../platform/index.ts';
import { fromTimestamp, minorUnits } from '../platform/proto-values.ts';
import {
  type Order,
  type PlaceOrderErrorCode,
  placeOrder,
  recordPaymentApproved,
  recordPaymentDeclined,
  recordStockReservationFailed,
  recordStockReserved,
  type Transition,
} from './domain/order.ts';
import {
  type inventoryV1,
  type OrdersHandlers,
  type OrdersResponders,
  ordersConsumers,
  type ordersV1,
  type paymentsV1,
  type storesV1,
} from './generated/index.ts';
import { money, orderView, toIntegrationEvents } from './integration-events.ts';
import { type OrderEvent, orderAggregate, toOrderEvents } from './order-events.ts';
import {
  findOrder,
  findOrderIdByIdempotencyKey,
  insertOrder,
  loadKnownProducts,
  markProductRemoved,
  updateOrder,
  upsertKnownProduct,
} from './storage.ts';

export interface OrdersDeps {
  readonly kit: ServiceKit;
  /** Where orders keep their Order aggregates; an SQL event store in the service's database by default. */
  readonly eventStore?: Promise<SqlEventStore>;
  readonly now?: () => Date;
  readonly newOrderId?: () => string;
}

const newOrderIdDefault = () => `ord_${randomBytes(8).toString('hex')}`;

type SagaEvent = { readonly orderId: string };

/**
 * The Order aggregate inside a transaction: its state is replayed from its events; a change appends events at
 * the version it was decided on (a racing writer makes the append fail, the transaction roll back and the
 * message be redelivered) and updates the `orders` read model in the same transaction.
 */
export function orderStore(deps: OrdersDeps) {
  let store: SqlEventStore | undefined;
  // Created (and its tables migrated) before any transaction uses it: PGlite runs one transaction at a time.
  const ready = (deps.eventStore ?? createSqlEventStore({ db: deps.kit.db })).then((s) => {
    store = s;
  });
  ready.catch(() => {});
  const repository = (tx: Queryable) => {
    if (!store) throw new Error('the order store is used before it is ready');
    return createRepository(store.within(tx), orderAggregate());
  };
  return {
    ready,
    load: (tx: Queryable, orderId: string) => repository(tx).load(orderId),
    append: (tx: Queryable, orderId: string, events: readonly OrderEvent[], expectedVersion: number) =>
      repository(tx).append(orderId, events, expectedVersion),
  };
}

export function createOrdersHandlers(deps: OrdersDeps): OrdersHandlers {
  const { kit } = deps;
  const now = deps.now ?? (() => new Date());
  // Row locks only matter on PostgreSQL, where several instances may handle the same order.
  const lock = kit.db.dialect === 'postgres';
  const orders = orderStore(deps);

  function sagaStep<T extends SagaEvent>(
    operation: keyof typeof ordersConsumers,
    step: (order: Order, payload: T, at: Date) => Transition,
  ) {
    return async (event: ConsumedEvent<T>) => {
      await orders.ready;
      await kit.work.handleOnce(ordersConsumers[operation].durable, event, async (tx) => {
        // The read-model row lock queues steps of one order on PostgreSQL instead of letting them conflict.
        if (lock) await findOrder(tx, event.payload.orderId, lock);
        const { state: order, version } = await orders.load(tx, event.payload.orderId);
        // Orders publishes OrderPlaced only after the order is stored, so this is a foreign or corrupt event.
        if (!order)
          throw new PermanentError(`${event.type} ${event.id} names unknown order ${event.payload.orderId}`);
        const transition = step(order, event.payload, now());
        if (!transition.changed) return [];
        await orders.append(tx, order.orderId, toOrderEvents(transition.events), version);
        await updateOrder(tx, transition.order);
        return toIntegrationEvents(transition.events);
      });
    };
  }

  const product = (p: storesV1.ProductAdded | storesV1.ProductPriceChanged) => ({
    productId: p.productId,
    storeId: p.storeId,
    price: { currency: p.price?.currencyCode ?? 'EUR', amountMinor: minorUnits(p.price) },
    removed: false,
  });

  return {
    // Event-carried state transfer: orders keeps its own price list, so placing an order never calls stores.
    onProductAdded: async (event) => {
      await kit.work.handleOnce(ordersConsumers.onProductAdded.durable, event, async (tx) => {
        await upsertKnownProduct(
          tx,
          product(event.payload),
          fromTimestamp(event.payload.addedAt, event.time),
        );
        return [];
      });
    },
    onProductPriceChanged: async (event) => {
      await kit.work.handleOnce(ordersConsumers.onProductPriceChanged.durable, event, async (tx) => {
        await upsertKnownProduct(
          tx,
          product(event.payload),
          fromTimestamp(event.payload.changedAt, event.time),
        );
        return [];
      });
    },
    onProductRemoved: async (event) => {
      await kit.work.handleOnce(ordersConsumers.onProductRemoved.durable, event, async (tx) => {
        await markProductRemoved(
          tx,
          event.payload.productId,
          event.payload.storeId,
          fromTimestamp(event.payload.removedAt, event.time),
        );
        return [];
      });
    },
    onPaymentApproved: sagaStep<paymentsV1.PaymentApproved>('onPaymentApproved', (order, p, at) =>
      recordPaymentApproved(order, p.paymentId, at),
    ),
    onPaymentDeclined: sagaStep<paymentsV1.PaymentDeclined>('onPaymentDeclined', (order, _p, at) =>
      recordPaymentDeclined(order, at),
    ),
    onStockReserved: sagaStep<inventoryV1.StockReserved>('onStockReserved', (order, _p, at) =>
      recordStockReserved(order, at),
    ),
    onStockReservationFailed: sagaStep<inventoryV1.StockReservationFailed>(
      'onStockReservationFailed',
      (order, _p, at) => recordStockReservationFailed(order, at),
    ),
  };
}

const errorCodes: Record<PlaceOrderErrorCode, ordersV1.PlaceOrderError> = {
  empty_order: 'PLACE_ORDER_ERROR_EMPTY_ORDER',
  invalid_quantity: 'PLACE_ORDER_ERROR_INVALID_QUANTITY',
  unknown_product: 'PLACE_ORDER_ERROR_UNKNOWN_PRODUCT',
  missing_customer: 'PLACE_ORDER_ERROR_MISSING_CUSTOMER',
  mixed_currency: 'PLACE_ORDER_ERROR_UNKNOWN_PRODUCT',
};

function rejected(error: ordersV1.PlaceOrderError, message: string): ordersV1.PlaceOrderReply {
  return { ok: false, orderId: '', error, errorMessage: message };
}

export function createOrdersResponders(deps: OrdersDeps): OrdersResponders {
  const { kit } = deps;
  const orders = orderStore(deps);
  const now = deps.now ?? (() => new Date());
  const newOrderId = deps.newOrderId ?? newOrderIdDefault;

  async function replyFor(orderId: string): Promise<ordersV1.PlaceOrderReply> {
    const order = await findOrder(kit.db, orderId);
    if (!order) throw new Error(`order ${orderId} vanished`);
    return {
      ok: true,
      orderId: order.orderId,
      total: money(order.total),
      error: 'PLACE_ORDER_ERROR_UNSPECIFIED',
      errorMessage: '',
    };
  }

  return {
    handlePlaceOrder: async ({ payload: request }) => {
      const key = request.idempotencyKey.trim() || undefined;
      if (key) {
        const existing = await findOrderIdByIdempotencyKey(kit.db, key);
        if (existing) return replyFor(existing);
      }
      const lines = request.lines.map((l) => ({ productId: l.productId, quantity: l.quantity }));
      await orders.ready;
      try {
        const reply = await kit.work.commit(async (tx) => {
          const products = await loadKnownProducts(tx, [...new Set(lines.map((l) => l.productId))]);
          const result = placeOrder(
            {
              orderId: newOrderId(),
              customerId: request.customerId,
              paymentMethodId: request.paymentMethodId,
              lines,
              at: now(),
            },
            products,
          );
          // A refused command stores and publishes nothing.
          if (!result.ok) return { result: rejected(errorCodes[result.code], result.message), messages: [] };
          await orders.append(tx, result.order.orderId, toOrderEvents(result.events), 0);
          await insertOrder(tx, result.order, key);
          return {
            result: {
              ok: true,
              orderId: result.order.orderId,
              total: money(result.order.total),
              error: 'PLACE_ORDER_ERROR_UNSPECIFIED',
              errorMessage: '',
            } satisfies ordersV1.PlaceOrderReply,
            messages: toIntegrationEvents(result.events),
          };
        });
        return reply;
      } catch (error) {
        // Two requests with one idempotency key raced: the second lost on the unique key; answer like the first.
        const existing = key ? await findOrderIdByIdempotencyKey(kit.db, key) : undefined;
        if (existing) return replyFor(existing);
        throw error;
      }
    },
    answerGetOrder: async ({ payload: request }) => {
      const order = await findOrder(kit.db, request.orderId);
      return order ? { found: true, order: orderView(order) } : { found: false };
    },
  };
}
