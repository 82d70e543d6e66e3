// Integration events and requests in → orders' domain. Every effect goes through the inbox (once per
// message) and leaves through the outbox (same transaction); see eventkit/outbox (createUnitOfWork).
import { randomBytes } from 'node:crypto';
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
  readonly now?: () => Date;
  readonly newOrderId?: () => string;
}

const newOrderIdDefault = () => `ord_${randomBytes(8).toString('hex')}`;

type SagaEvent = { readonly orderId: string };

export function createOrdersHandlers(deps: OrdersDeps): OrdersHandlers {
  const { kit } = deps;
  const now = deps.now ?? (() => new Date());
  // Row locks only matter on PostgreSQL, where several instances may handle the same order.
  const lock = kit.db.dialect === 'postgres';

  function sagaStep<T extends SagaEvent>(
    operation: keyof typeof ordersConsumers,
    step: (order: Order, payload: T, at: Date) => Transition,
  ) {
    return (event: ConsumedEvent<T>) =>
      kit.work
        .handleOnce(ordersConsumers[operation].durable, event, async (tx) => {
          const order = await findOrder(tx, event.payload.orderId, lock);
          // Orders publishes OrderPlaced only after the order is stored, so this is a foreign or corrupt event.
          if (!order)
            throw new PermanentError(
              `${event.type} ${event.id} names unknown order ${event.payload.orderId}`,
            );
          const transition = step(order, event.payload, now());
          if (!transition.changed) return [];
          await updateOrder(tx, transition.order);
          return toIntegrationEvents(transition.events);
        })
        .then(() => undefined);
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
