// The payments domain: charge an order once, refund it once when the order is cancelled (compensation).

export interface Money {
  readonly currency: string;
  readonly amountMinor: number;
}

export type PaymentStatus = 'approved' | 'declined' | 'refunded';

export interface Payment {
  readonly paymentId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly amount: Money;
  readonly status: PaymentStatus;
  readonly declineReason?: string;
}

export type PaymentsDomainEvent =
  | { readonly kind: 'PaymentApproved'; readonly payment: Payment; readonly at: Date }
  | { readonly kind: 'PaymentDeclined'; readonly payment: Payment; readonly at: Date }
  | { readonly kind: 'PaymentRefunded'; readonly payment: Payment; readonly at: Date };

/** What the payment gateway answered for a charge. */
export type ChargeOutcome =
  | { readonly approved: true; readonly reference: string }
  | { readonly approved: false; readonly reason: string };

export function recordCharge(
  existing: Payment | undefined,
  charge: { paymentId: string; orderId: string; customerId: string; amount: Money },
  outcome: ChargeOutcome,
  at: Date,
): { payment: Payment; events: PaymentsDomainEvent[] } | undefined {
  if (existing) return undefined; // one charge per order
  if (outcome.approved) {
    const payment: Payment = { ...charge, status: 'approved' };
    return { payment, events: [{ kind: 'PaymentApproved', payment, at }] };
  }
  const payment: Payment = { ...charge, status: 'declined', declineReason: outcome.reason };
  return { payment, events: [{ kind: 'PaymentDeclined', payment, at }] };
}

/** Whether a cancelled order's payment must be given back. */
export function needsRefund(payment: Payment | undefined): payment is Payment {
  return payment?.status === 'approved';
}

export function recordRefund(
  payment: Payment,
  at: Date,
): { payment: Payment; events: PaymentsDomainEvent[] } {
  const refunded: Payment = { ...payment, status: 'refunded' };
  return { payment: refunded, events: [{ kind: 'PaymentRefunded', payment: refunded, at }] };
}
