import type { Queryable } from 'eventkit/outbox';
import type { CancelReason, KnownProduct, Order, OrderLine, OrderStatus } from './domain/order.ts';

interface OrderRow {
  order_id: string;
  customer_id: string;
  payment_method_id: string;
  status: OrderStatus;
  lines: OrderLine[] | string;
  currency: string;
  total_minor: string | number;
  payment_id: string | null;
  cancel_reason: CancelReason | null;
  placed_at: Date | string;
  updated_at: Date | string;
}

function toOrder(row: OrderRow): Order {
  return {
    orderId: row.order_id,
    customerId: row.customer_id,
    paymentMethodId: row.payment_method_id,
    status: row.status,
    lines: typeof row.lines === 'string' ? (JSON.parse(row.lines) as OrderLine[]) : row.lines,
    total: { currency: row.currency, amountMinor: Number(row.total_minor) },
    ...(row.payment_id ? { paymentId: row.payment_id } : {}),
    ...(row.cancel_reason ? { cancelReason: row.cancel_reason } : {}),
    placedAt: new Date(row.placed_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** Reads an order; `lock` takes a row lock for the rest of the transaction (PostgreSQL). */
export async function findOrder(db: Queryable, orderId: string, lock = false): Promise<Order | undefined> {
  const { rows } = await db.query<OrderRow>(
    `SELECT * FROM orders WHERE order_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [orderId],
  );
  return rows[0] && toOrder(rows[0]);
}

export async function findOrderIdByIdempotencyKey(db: Queryable, key: string): Promise<string | undefined> {
  const { rows } = await db.query<{ order_id: string }>(
    'SELECT order_id FROM orders WHERE idempotency_key = $1',
    [key],
  );
  return rows[0]?.order_id;
}

export async function insertOrder(
  db: Queryable,
  order: Order,
  idempotencyKey: string | undefined,
): Promise<void> {
  await db.query(
    `INSERT INTO orders (order_id, idempotency_key, customer_id, payment_method_id, status, lines, currency, total_minor, placed_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      order.orderId,
      idempotencyKey ?? null,
      order.customerId,
      order.paymentMethodId,
      order.status,
      JSON.stringify(order.lines),
      order.total.currency,
      order.total.amountMinor,
      order.placedAt,
      order.updatedAt,
    ],
  );
}

export async function updateOrder(db: Queryable, order: Order): Promise<void> {
  await db.query(
    'UPDATE orders SET status = $2, payment_id = $3, cancel_reason = $4, updated_at = $5 WHERE order_id = $1',
    [order.orderId, order.status, order.paymentId ?? null, order.cancelReason ?? null, order.updatedAt],
  );
}

export async function loadKnownProducts(
  db: Queryable,
  productIds: readonly string[],
): Promise<Map<string, KnownProduct>> {
  const { rows } = await db.query<{
    product_id: string;
    store_id: string;
    currency: string;
    price_minor: string;
    removed: boolean;
  }>(
    'SELECT product_id, store_id, currency, price_minor, removed FROM known_products WHERE product_id = ANY($1)',
    [productIds],
  );
  return new Map(
    rows.map((r) => [
      r.product_id,
      {
        productId: r.product_id,
        storeId: r.store_id,
        price: { currency: r.currency, amountMinor: Number(r.price_minor) },
        removed: r.removed,
      },
    ]),
  );
}

/**
 * Applies a product event to the local copy. Product events arrive on different subjects (so in no
 * guaranteed order between them): the newest `asOf` wins, and a removal is final.
 */
export async function upsertKnownProduct(db: Queryable, product: KnownProduct, asOf: Date): Promise<void> {
  await db.query(
    `INSERT INTO known_products (product_id, store_id, currency, price_minor, removed, as_of) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (product_id) DO UPDATE SET store_id = $2, currency = $3, price_minor = $4,
       removed = known_products.removed OR $5, as_of = $6
     WHERE known_products.as_of <= $6 OR $5`,
    [
      product.productId,
      product.storeId,
      product.price.currency,
      product.price.amountMinor,
      product.removed,
      asOf,
    ],
  );
}

export async function markProductRemoved(
  db: Queryable,
  productId: string,
  storeId: string,
  asOf: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO known_products (product_id, store_id, currency, price_minor, removed, as_of) VALUES ($1, $2, 'EUR', 0, true, $3)
     ON CONFLICT (product_id) DO UPDATE SET removed = true`,
    [productId, storeId, asOf],
  );
}

export interface OrderCounts {
  readonly placed: number;
  readonly paid: number;
  readonly completed: number;
  readonly cancelled: number;
}

export async function countOrders(db: Queryable): Promise<OrderCounts> {
  const { rows } = await db.query<{ status: OrderStatus; n: string }>(
    'SELECT status, count(*)::text AS n FROM orders GROUP BY status',
  );
  const counts = { placed: 0, paid: 0, completed: 0, cancelled: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}
