// The stores application service: the only way the catalogue changes (seeding, tests, a future admin
// API). Each change is one transaction: catalogue rows + outbox rows.
import type { ServiceKit } from '../platform/index.ts';
import {
  addProduct,
  changePrice,
  createStore,
  type Money,
  type Product,
  removeProduct,
  type Store,
} from './domain/catalog.ts';
import { toIntegrationEvents } from './integration-events.ts';
import { findProduct, findStore, insertStore, saveProduct } from './storage.ts';

export interface CatalogSeed {
  readonly stores: readonly (Store & {
    readonly products: readonly Omit<Product, 'storeId' | 'removed'>[];
  })[];
}

export interface CatalogService {
  createStore(store: Store): Promise<void>;
  addProduct(product: Omit<Product, 'removed'>): Promise<void>;
  changePrice(productId: string, price: Money): Promise<void>;
  removeProduct(productId: string): Promise<void>;
  /** Creates what is missing; running it again changes nothing and publishes nothing. */
  seed(seed: CatalogSeed): Promise<void>;
}

export function createCatalogService(kit: ServiceKit, now: () => Date = () => new Date()): CatalogService {
  const lock = kit.db.dialect === 'postgres';
  const service: CatalogService = {
    createStore: (store) =>
      kit.work.commit(async (tx) => {
        const at = now();
        const events = createStore(await findStore(tx, store.storeId), store, at);
        if (events.length > 0) await insertStore(tx, store, at);
        return { result: undefined, messages: toIntegrationEvents(events) };
      }),
    addProduct: (product) =>
      kit.work.commit(async (tx) => {
        const at = now();
        const events = addProduct(
          await findStore(tx, product.storeId),
          await findProduct(tx, product.productId, lock),
          product,
          at,
        );
        for (const e of events) if (e.kind === 'ProductAdded') await saveProduct(tx, e.product, at);
        return { result: undefined, messages: toIntegrationEvents(events) };
      }),
    changePrice: (productId, price) =>
      kit.work.commit(async (tx) => {
        const at = now();
        const events = changePrice(await findProduct(tx, productId, lock), price, at);
        for (const e of events) if (e.kind === 'ProductPriceChanged') await saveProduct(tx, e.product, at);
        return { result: undefined, messages: toIntegrationEvents(events) };
      }),
    removeProduct: (productId) =>
      kit.work.commit(async (tx) => {
        const at = now();
        const events = removeProduct(await findProduct(tx, productId, lock), at);
        for (const e of events) if (e.kind === 'ProductRemoved') await saveProduct(tx, e.product, at);
        return { result: undefined, messages: toIntegrationEvents(events) };
      }),
    async seed(seed) {
      for (const store of seed.stores) {
        await service.createStore({ storeId: store.storeId, name: store.name, location: store.location });
        for (const product of store.products)
          await service.addProduct({ ...product, storeId: store.storeId });
      }
    },
  };
  return service;
}
