// The stores domain: stores and their product catalogue. Pure: no I/O; storage.ts persists the results.

export interface Money {
  readonly currency: string;
  readonly amountMinor: number;
}

export interface Store {
  readonly storeId: string;
  readonly name: string;
  readonly location: string;
}

export interface Product {
  readonly productId: string;
  readonly storeId: string;
  readonly name: string;
  readonly description: string;
  readonly sku: string;
  readonly price: Money;
  readonly initialStock: number;
  readonly removed: boolean;
}

export type StoresDomainEvent =
  | { readonly kind: 'StoreCreated'; readonly store: Store; readonly at: Date }
  | { readonly kind: 'ProductAdded'; readonly product: Product; readonly at: Date }
  | {
      readonly kind: 'ProductPriceChanged';
      readonly product: Product;
      readonly previousPrice: Money;
      readonly at: Date;
    }
  | { readonly kind: 'ProductRemoved'; readonly product: Product; readonly at: Date };

export class CatalogRuleError extends Error {
  override readonly name = 'CatalogRuleError';
}

export function isCatalogRuleError(error: unknown): error is CatalogRuleError {
  return error instanceof Error && error.name === 'CatalogRuleError';
}

export function createStore(existing: Store | undefined, store: Store, at: Date): StoresDomainEvent[] {
  if (existing) return []; // creating the same store twice is a no-op (seeding is repeatable)
  if (!store.name.trim()) throw new CatalogRuleError(`store ${store.storeId} needs a name`);
  return [{ kind: 'StoreCreated', store, at }];
}

export function addProduct(
  store: Store | undefined,
  existing: Product | undefined,
  product: Omit<Product, 'removed'>,
  at: Date,
): StoresDomainEvent[] {
  if (!store)
    throw new CatalogRuleError(`product ${product.productId}: store ${product.storeId} does not exist`);
  if (existing) return [];
  if (!Number.isInteger(product.price.amountMinor) || product.price.amountMinor <= 0)
    throw new CatalogRuleError(
      `product ${product.productId}: price must be a positive whole number of minor units`,
    );
  if (!Number.isInteger(product.initialStock) || product.initialStock < 0)
    throw new CatalogRuleError(`product ${product.productId}: initial stock must be 0 or more`);
  return [{ kind: 'ProductAdded', product: { ...product, removed: false }, at }];
}

export function changePrice(product: Product | undefined, price: Money, at: Date): StoresDomainEvent[] {
  if (!product || product.removed) throw new CatalogRuleError('cannot change the price of a missing product');
  if (product.price.amountMinor === price.amountMinor && product.price.currency === price.currency) return [];
  if (!Number.isInteger(price.amountMinor) || price.amountMinor <= 0)
    throw new CatalogRuleError(
      `product ${product.productId}: price must be a positive whole number of minor units`,
    );
  return [{ kind: 'ProductPriceChanged', product: { ...product, price }, previousPrice: product.price, at }];
}

export function removeProduct(product: Product | undefined, at: Date): StoresDomainEvent[] {
  if (!product || product.removed) return [];
  return [{ kind: 'ProductRemoved', product: { ...product, removed: true }, at }];
}
