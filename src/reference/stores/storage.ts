import type { Queryable } from 'eventkit/outbox';
import type { Product, Store } from './domain/catalog.ts';

interface ProductRow {
  product_id: string;
  store_id: string;
  name: string;
  description: string;
  sku: string;
  currency: string;
  price_minor: string | number;
  initial_stock: number;
  removed: boolean;
}

export async function findStore(db: Queryable, storeId: string): Promise<Store | undefined> {
  const { rows } = await db.query<{ store_id: string; name: string; location: string }>(
    'SELECT store_id, name, location FROM stores WHERE store_id = $1',
    [storeId],
  );
  const row = rows[0];
  return row && { storeId: row.store_id, name: row.name, location: row.location };
}

export async function findProduct(
  db: Queryable,
  productId: string,
  lock = false,
): Promise<Product | undefined> {
  const { rows } = await db.query<ProductRow>(
    `SELECT * FROM products WHERE product_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [productId],
  );
  const row = rows[0];
  return (
    row && {
      productId: row.product_id,
      storeId: row.store_id,
      name: row.name,
      description: row.description,
      sku: row.sku,
      price: { currency: row.currency, amountMinor: Number(row.price_minor) },
      initialStock: row.initial_stock,
      removed: row.removed,
    }
  );
}

export async function insertStore(db: Queryable, store: Store, at: Date): Promise<void> {
  await db.query('INSERT INTO stores (store_id, name, location, created_at) VALUES ($1, $2, $3, $4)', [
    store.storeId,
    store.name,
    store.location,
    at,
  ]);
}

export async function saveProduct(db: Queryable, product: Product, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO products (product_id, store_id, name, description, sku, currency, price_minor, initial_stock, removed, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (product_id) DO UPDATE SET name = $3, description = $4, sku = $5, currency = $6, price_minor = $7,
       removed = $9, updated_at = $10`,
    [
      product.productId,
      product.storeId,
      product.name,
      product.description,
      product.sku,
      product.price.currency,
      product.price.amountMinor,
      product.initialStock,
      product.removed,
      at,
    ],
  );
}

export async function countCatalog(db: Queryable): Promise<{ stores: number; products: number }> {
  const { rows } = await db.query<{ stores: string; products: string }>(
    'SELECT (SELECT count(*) FROM stores)::text AS stores, (SELECT count(*) FROM products WHERE NOT removed)::text AS products',
  );
  return { stores: Number(rows[0]?.stores ?? 0), products: Number(rows[0]?.products ?? 0) };
}
