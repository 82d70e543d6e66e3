// Provider contract of stores: its catalogue events come from its real catalogue service commands on real
// storage; what it would publish is read from its outbox.
import type { ProviderContract } from '../../../src/contracts/index.ts';
import { createCatalogService } from '../../../src/reference/stores/catalog-service.ts';
import * as events from '../../../src/reference/stores/generated/events.ts';
import { codecsOf, param } from '../support/messages.ts';
import { states } from '../support/provider-states.ts';
import { publishedBy } from '../support/published.ts';
import { openServiceWorld, type ServiceWorld } from '../support/service-world.ts';

export async function createProviderContract(): Promise<ProviderContract> {
  let world: ServiceWorld | undefined;
  let storeId = 'sto_1';
  let productId = 'prd_101';
  const open = () => {
    if (world === undefined) throw new Error('reset() was not called');
    return world;
  };
  const catalog = () => createCatalogService(open().kit);
  const createStore = (id: string) =>
    catalog().createStore({ storeId: id, name: 'Corner Coffee', location: 'Main Street 1' });
  const addProduct = (id: string) =>
    catalog().addProduct({
      productId: id,
      storeId,
      name: 'Flat white',
      description: 'Double ristretto with steamed milk.',
      sku: 'CC-FW-001',
      price: { currency: 'EUR', amountMinor: 320 },
      initialStock: 120,
    });

  return {
    service: 'stores',
    async reset() {
      if (world === undefined) world = await openServiceWorld('stores');
      else await world.clear();
      storeId = 'sto_1';
      productId = 'prd_101';
    },
    async close() {
      await world?.close();
      world = undefined;
    },
    states: {
      [states.storeExists]: async (params) => {
        storeId = param(params, 'storeId', 'sto_1');
        await createStore(storeId);
      },
      [states.productInCatalogue]: async (params) => {
        storeId = param(params, 'storeId', 'sto_1');
        productId = param(params, 'productId', 'prd_101');
        await createStore(storeId);
        await addProduct(productId);
      },
    },
    producers: {
      'stores.v1.StoreCreated': () => publishedBy(open(), () => createStore(storeId)),
      'stores.v1.ProductAdded': () => publishedBy(open(), () => addProduct(productId)),
      'stores.v1.ProductPriceChanged': () =>
        publishedBy(open(), () => catalog().changePrice(productId, { currency: 'EUR', amountMinor: 340 })),
      'stores.v1.ProductRemoved': () => publishedBy(open(), () => catalog().removeProduct(productId)),
    },
    codecFor: codecsOf(events),
  };
}
