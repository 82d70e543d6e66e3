// Provider contract of inventory: its reservation events come from its real OrderPaid handler on real
// storage, with stock set up through its real ProductAdded handler; read back from its outbox.
import type { ProviderContract } from '../../../src/contracts/index.ts';
import * as events from '../../../src/reference/inventory/generated/events.ts';
import { examples } from '../../../src/reference/inventory/generated/index.ts';
import { createInventoryHandlers } from '../../../src/reference/inventory/handlers.ts';
import { codecsOf, consumed, param } from '../support/messages.ts';
import { states } from '../support/provider-states.ts';
import { publishedBy } from '../support/published.ts';
import { openServiceWorld, type ServiceWorld } from '../support/service-world.ts';

export async function createProviderContract(): Promise<ProviderContract> {
  let world: ServiceWorld | undefined;
  let stocked: string | undefined;
  const open = () => {
    if (world === undefined) throw new Error('reset() was not called');
    return world;
  };
  const handlers = () => createInventoryHandlers({ kit: open().kit });
  /** The real reservation: an OrderPaid for two of the stocked product. */
  const orderPaid = () => {
    if (stocked === undefined)
      throw new Error(`needs stock: declare the provider state "${states.productInStock}"`);
    const example = examples.OrderPaidV1.default();
    const line = example.items[0];
    if (line === undefined) throw new Error('the OrderPaid example has no items');
    const items = [{ ...line, productId: stocked, quantity: 2 }];
    return handlers().onOrderPaid(...consumed(events.OrderPaidV1, { ...example, items }));
  };

  return {
    service: 'inventory',
    async reset() {
      if (world === undefined) world = await openServiceWorld('inventory');
      else await world.clear();
      stocked = undefined;
    },
    async close() {
      await world?.close();
      world = undefined;
    },
    states: {
      [states.productInStock]: async (params) => {
        const productId = param(params, 'productId');
        await handlers().onProductAdded(
          ...consumed(
            events.ProductAddedV1,
            examples.ProductAddedV1.default({
              productId,
              storeId: param(params, 'storeId', 'sto_1'),
              initialStock: Number(param(params, 'onHand')),
            }),
          ),
        );
        stocked = productId;
      },
    },
    producers: {
      'inventory.v1.StockReserved': () => publishedBy(open(), orderPaid),
      'inventory.v1.StockReservationFailed': () => publishedBy(open(), orderPaid),
    },
    codecFor: codecsOf(events),
  };
}
