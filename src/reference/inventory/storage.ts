import type { Queryable } from 'eventkit/outbox';
import type { ReservationLine, StockLevel } from './domain/stock.ts';

/** Creates the stock level of a new product; a repeated ProductAdded changes nothing. */
export async function addStockLevel(db: Queryable, level: StockLevel): Promise<void> {
  await db.query(
    'INSERT INTO stock (product_id, store_id, initial_stock, on_hand) VALUES ($1, $2, $3, $3) ON CONFLICT (product_id) DO NOTHING',
    [level.productId, level.storeId, level.onHand],
  );
}

export async function markStockRemoved(db: Queryable, productId: string): Promise<void> {
  await db.query('UPDATE stock SET removed = true WHERE product_id = $1', [productId]);
}

/** Reads and locks (PostgreSQL) the levels of the given products, in product id order to avoid deadlocks. */
export async function lockStockLevels(
  db: Queryable,
  productIds: readonly string[],
): Promise<Map<string, StockLevel>> {
  const { rows } = await db.query<{
    product_id: string;
    store_id: string;
    on_hand: number;
    removed: boolean;
  }>(
    'SELECT product_id, store_id, on_hand, removed FROM stock WHERE product_id = ANY($1) ORDER BY product_id FOR UPDATE',
    [productIds],
  );
  return new Map(
    rows
      .filter((r) => !r.removed)
      .map((r) => [r.product_id, { productId: r.product_id, storeId: r.store_id, onHand: r.on_hand }]),
  );
}

export async function setStockLevels(db: Queryable, levels: readonly StockLevel[]): Promise<void> {
  for (const level of levels)
    await db.query('UPDATE stock SET on_hand = $2 WHERE product_id = $1', [level.productId, level.onHand]);
}

export async function findReservation(
  db: Queryable,
  orderId: string,
): Promise<{ reserved: boolean } | undefined> {
  const { rows } = await db.query<{ reserved: boolean }>(
    'SELECT reserved FROM reservations WHERE order_id = $1',
    [orderId],
  );
  return rows[0];
}

export async function recordReservation(
  db: Queryable,
  orderId: string,
  reserved: boolean,
  lines: readonly ReservationLine[],
  failedProductId: string | undefined,
  at: Date,
): Promise<void> {
  await db.query(
    'INSERT INTO reservations (order_id, reserved, lines, failed_product_id, decided_at) VALUES ($1, $2, $3, $4, $5)',
    [orderId, reserved, JSON.stringify(lines), failedProductId ?? null, at],
  );
}

export async function countKnownStock(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM stock');
  return Number(rows[0]?.n ?? 0);
}
