import type { Queryable } from 'eventkit/outbox';
import type { Payment, PaymentStatus } from './domain/payment.ts';

interface PaymentRow {
  order_id: string;
  payment_id: string;
  customer_id: string;
  currency: string;
  amount_minor: string | number;
  status: PaymentStatus;
  decline_reason: string | null;
}

export async function findPayment(
  db: Queryable,
  orderId: string,
  lock = false,
): Promise<Payment | undefined> {
  const { rows } = await db.query<PaymentRow>(
    `SELECT * FROM payments WHERE order_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [orderId],
  );
  const row = rows[0];
  return (
    row && {
      paymentId: row.payment_id,
      orderId: row.order_id,
      customerId: row.customer_id,
      amount: { currency: row.currency, amountMinor: Number(row.amount_minor) },
      status: row.status,
      ...(row.decline_reason ? { declineReason: row.decline_reason } : {}),
    }
  );
}

export async function insertPayment(
  db: Queryable,
  payment: Payment,
  gatewayReference: string | undefined,
  at: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO payments (order_id, payment_id, customer_id, currency, amount_minor, status, decline_reason, gateway_reference, charged_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      payment.orderId,
      payment.paymentId,
      payment.customerId,
      payment.amount.currency,
      payment.amount.amountMinor,
      payment.status,
      payment.declineReason ?? null,
      gatewayReference ?? null,
      at,
    ],
  );
}

export async function markRefunded(db: Queryable, orderId: string, at: Date): Promise<void> {
  await db.query("UPDATE payments SET status = 'refunded', refunded_at = $2 WHERE order_id = $1", [
    orderId,
    at,
  ]);
}

export async function countPayments(db: Queryable): Promise<Record<PaymentStatus, number>> {
  const { rows } = await db.query<{ status: PaymentStatus; n: string }>(
    'SELECT status, count(*)::text AS n FROM payments GROUP BY status',
  );
  const counts = { approved: 0, declined: 0, refunded: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

/** One store's share of a charge, settled to that store. */
export interface StoreShare {
  readonly storeId: string;
  readonly amountMinor: number;
}

export async function insertStoreShares(
  db: Queryable,
  orderId: string,
  currency: string,
  shares: readonly StoreShare[],
): Promise<void> {
  for (const share of shares)
    await db.query(
      'INSERT INTO payment_store_shares (order_id, store_id, currency, amount_minor) VALUES ($1, $2, $3, $4)',
      [orderId, share.storeId, currency, share.amountMinor],
    );
}
