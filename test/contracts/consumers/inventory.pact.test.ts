// Consumer contract of inventory: stores' ProductAdded (initial stock) and orders' OrderPaid (reserve stock),
// each pushed through the real codec into inventory's real handlers on real storage (PGlite).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverPactMessage, jsonViewMatching } from '../../../src/contracts/index.ts';
import { examples, OrderPaidV1, ProductAddedV1 } from '../../../src/reference/inventory/generated/index.ts';
import { createInventoryHandlers } from '../../../src/reference/inventory/handlers.ts';
import { findReservation } from '../../../src/reference/inventory/storage.ts';
import { consumerPacts } from '../support/consumer-pacts.ts';
import { consumed } from '../support/messages.ts';
import { states } from '../support/provider-states.ts';
import { openServiceWorld, type ServiceWorld } from '../support/service-world.ts';

const pacts = consumerPacts('inventory');
let world: ServiceWorld;
const handlers = () => createInventoryHandlers({ kit: world.kit });

beforeAll(async () => {
  world = await openServiceWorld('inventory');
});
beforeEach(async () => {
  await world.clear();
});
afterAll(async () => {
  await pacts.finalize();
  await world.close();
});

const stock = async (productId: string) =>
  (await world.db.query<{ on_hand: number }>('SELECT on_hand FROM stock WHERE product_id = $1', [productId]))
    .rows[0]?.on_hand;

describe('inventory ← stores', () => {
  it('ProductAdded: seeds the product’s stock level', async () => {
    const added = examples.ProductAddedV1.default();
    await (await pacts.with('stores')).expects(
      {
        description: 'a product was added',
        event: ProductAddedV1,
        given: [{ name: states.storeExists, params: { storeId: added.storeId } }],
        body: jsonViewMatching(ProductAddedV1.codec.toJson(added), ['productId', 'storeId', 'initialStock']),
        subject: ProductAddedV1.subject({ productId: added.productId }),
      },
      async (message) => {
        await deliverPactMessage(message, ProductAddedV1, handlers().onProductAdded);
        expect(await stock(added.productId)).toBe(120);
      },
    );
  });
});

describe('inventory ← orders', () => {
  it('OrderPaid: reserves every line and announces it', async () => {
    const paid = examples.OrderPaidV1.default();
    await (await pacts.with('orders')).expects(
      {
        description: 'an order was paid',
        event: OrderPaidV1,
        given: [
          { name: states.orderPlaced, params: { orderId: paid.orderId, productId: 'prd_101', quantity: 2 } },
        ],
        body: jsonViewMatching(OrderPaidV1.codec.toJson(paid), [
          'orderId',
          'items.productId',
          'items.quantity',
        ]),
        subject: OrderPaidV1.subject({ orderId: paid.orderId }),
      },
      async (message) => {
        // Inventory's own prior state: it knows the products' stock (through its real handler).
        for (const productId of ['prd_101', 'prd_205']) {
          await handlers().onProductAdded(
            ...consumed(ProductAddedV1, examples.ProductAddedV1.default({ productId, initialStock: 10 })),
          );
        }
        await deliverPactMessage(message, OrderPaidV1, handlers().onOrderPaid);
        expect(await findReservation(world.db, paid.orderId)).toEqual({ reserved: true });
        expect(await stock('prd_101')).toBe(8);
        expect((await world.outbox()).map((m) => m.type)).toEqual(['inventory.v1.StockReserved']);
      },
    );
  });
});
