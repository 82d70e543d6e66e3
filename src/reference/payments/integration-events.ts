// The ONE place where payments' domain events become integration events (asyncapi/payments.yaml).
import type { OutboundMessage } from '../../runtime/api.ts';
import { toTimestamp } from '../platform/proto-values.ts';
import type { PaymentsDomainEvent } from './domain/payment.ts';
import { paymentsEnvelopes, type paymentsV1 } from './generated/index.ts';

const declineReasons: Record<string, paymentsV1.DeclineReason> = {
  insufficient_funds: 'DECLINE_REASON_INSUFFICIENT_FUNDS',
  payment_method_expired: 'DECLINE_REASON_PAYMENT_METHOD_EXPIRED',
  payment_method_invalid: 'DECLINE_REASON_PAYMENT_METHOD_INVALID',
  amount_limit_exceeded: 'DECLINE_REASON_AMOUNT_LIMIT_EXCEEDED',
};

export function toIntegrationEvents(events: readonly PaymentsDomainEvent[]): OutboundMessage[] {
  return events.map(toIntegrationEvent);
}

function toIntegrationEvent(event: PaymentsDomainEvent): OutboundMessage {
  const p = event.payment;
  const amount = { currencyCode: p.amount.currency, amountMinor: p.amount.amountMinor };
  switch (event.kind) {
    case 'PaymentApproved':
      return paymentsEnvelopes.publishPaymentApproved({
        paymentId: p.paymentId,
        orderId: p.orderId,
        customerId: p.customerId,
        amount,
        approvedAt: toTimestamp(event.at),
      });
    case 'PaymentDeclined':
      return paymentsEnvelopes.publishPaymentDeclined({
        paymentId: p.paymentId,
        orderId: p.orderId,
        customerId: p.customerId,
        amount,
        reason: declineReasons[p.declineReason ?? ''] ?? 'DECLINE_REASON_UNSPECIFIED',
        declinedAt: toTimestamp(event.at),
      });
    case 'PaymentRefunded':
      return paymentsEnvelopes.publishPaymentRefunded({
        refundId: `ref_${p.paymentId.replace(/^pay_/, '')}`,
        paymentId: p.paymentId,
        orderId: p.orderId,
        customerId: p.customerId,
        amount,
        reason: 'REFUND_REASON_ORDER_CANCELLED',
        refundedAt: toTimestamp(event.at),
      });
  }
}
