// Integration events in → payments' domain. The gateway is called BEFORE the transaction that records
// the outcome: a crash in between repeats the call on redelivery, so the gateway call is keyed by the
// payment id (derived from the order id) the way a real gateway's idempotency key would be.
import { PermanentError, TransientError } from '../../runtime/errors.ts';
import type { ServiceKit } from '../platform/index.ts';
import { minorUnits } from '../platform/proto-values.ts';
import { needsRefund, recordCharge, recordRefund } from './domain/payment.ts';
import { isCircuitOpenError } from './gateway-breaker.ts';
import { type ordersV2, type PaymentsHandlers, paymentsConsumers } from './generated/index.ts';
import { toIntegrationEvents } from './integration-events.ts';
import { isGatewayUnavailableError, type PaymentGateway } from './payment-gateway.ts';
import { findPayment, insertPayment, insertStoreShares, markRefunded, type StoreShare } from './storage.ts';

export interface PaymentsDeps {
  readonly kit: ServiceKit;
  readonly gateway: PaymentGateway;
  readonly now?: () => Date;
}

/** Gateway trouble never dead-letters an order: the message is redelivered after the consumer's backoff. */
async function callGateway<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isCircuitOpenError(error))
      throw new TransientError(`${what}: circuit open, retry later`, { cause: error });
    if (isGatewayUnavailableError(error))
      throw new TransientError(`${what}: ${error.message}`, { cause: error });
    throw new TransientError(`${what}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Each store's share of an orders.v2.OrderPlaced, checked against the total: a share in another currency, or
 * shares that do not add up to what is charged, would settle stores wrongly, so the event is refused.
 */
function storeSharesOf(order: ordersV2.OrderPlaced, eventId: string): StoreShare[] {
  const currency = order.total?.currencyCode;
  const shares = order.stores.map((s) => ({ storeId: s.storeId, amountMinor: minorUnits(s.subtotal) }));
  const sum = shares.reduce((total, s) => total + s.amountMinor, 0);
  if (order.stores.some((s) => s.subtotal?.currencyCode !== currency) || sum !== minorUnits(order.total))
    throw new PermanentError(
      `malformed OrderPlaced ${eventId}: store subtotals (${sum}) must add up to the total (${minorUnits(order.total)} ${currency}) in one currency`,
    );
  return shares;
}

export const paymentIdFor = (orderId: string) => `pay_${orderId.replace(/^ord_/, '')}`;

export function createPaymentsHandlers(deps: PaymentsDeps): PaymentsHandlers {
  const { kit, gateway } = deps;
  const now = deps.now ?? (() => new Date());
  const lock = kit.db.dialect === 'postgres';

  return {
    onOrderPlacedV2: async (event) => {
      const order = event.payload;
      if (!order.orderId || !order.customerId || minorUnits(order.total) <= 0)
        throw new PermanentError(
          `malformed OrderPlaced ${event.id}: order id, customer id and a positive total are required`,
        );
      const shares = storeSharesOf(order, event.id);
      // A redelivery after the outcome was stored must not call the gateway again.
      if (await findPayment(kit.db, order.orderId)) {
        await kit.work.handleOnce(paymentsConsumers.onOrderPlacedV2.durable, event, async () => []);
        return;
      }
      const paymentId = paymentIdFor(order.orderId);
      const amount = { currency: order.total?.currencyCode ?? 'EUR', amountMinor: minorUnits(order.total) };
      const outcome = await callGateway(`charge ${order.orderId}`, () =>
        gateway.charge({
          paymentId,
          paymentMethodId: order.paymentMethodId,
          amountMinor: amount.amountMinor,
          currency: amount.currency,
        }),
      );
      await kit.work.handleOnce(paymentsConsumers.onOrderPlacedV2.durable, event, async (tx) => {
        const at = now();
        const recorded = recordCharge(
          await findPayment(tx, order.orderId, lock),
          { paymentId, orderId: order.orderId, customerId: order.customerId, amount },
          outcome.approved
            ? { approved: true, reference: outcome.reference }
            : { approved: false, reason: outcome.reason },
          at,
        );
        if (!recorded) return [];
        await insertPayment(tx, recorded.payment, outcome.approved ? outcome.reference : undefined, at);
        if (outcome.approved) await insertStoreShares(tx, order.orderId, amount.currency, shares);
        return toIntegrationEvents(recorded.events);
      });
    },
    // Compensation: a cancelled order that was charged is refunded, once.
    onOrderCancelled: async (event) => {
      const existing = await findPayment(kit.db, event.payload.orderId);
      if (needsRefund(existing)) {
        await callGateway(`refund ${existing.orderId}`, () =>
          gateway.refund(existing.paymentId, existing.amount.amountMinor),
        );
      }
      await kit.work.handleOnce(paymentsConsumers.onOrderCancelled.durable, event, async (tx) => {
        const payment = await findPayment(tx, event.payload.orderId, lock);
        if (!needsRefund(payment)) return [];
        const at = now();
        const refunded = recordRefund(payment, at);
        await markRefunded(tx, payment.orderId, at);
        return toIntegrationEvents(refunded.events);
      });
    },
  };
}
