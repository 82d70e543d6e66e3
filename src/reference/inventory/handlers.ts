// Integration events in → inventory's domain: seed stock from ProductAdded (event-carried state
// transfer), reserve stock for paid orders (all lines or none).
import { PermanentError, TransientError } from '../../runtime/errors.ts';
import type { ServiceKit } from '../platform/index.ts';
import { decideReservation } from './domain/stock.ts';
import { type InventoryHandlers, inventoryConsumers } from './generated/index.ts';
import { reservationEvent } from './integration-events.ts';
import {
  addStockLevel,
  findReservation,
  lockStockLevels,
  recordReservation,
  setStockLevels,
} from './storage.ts';

export interface InventoryDeps {
  readonly kit: ServiceKit;
  readonly now?: () => Date;
}

export function createInventoryHandlers(deps: InventoryDeps): InventoryHandlers {
  const { kit } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    onProductAdded: async (event) => {
      const p = event.payload;
      await kit.work.handleOnce(inventoryConsumers.onProductAdded.durable, event, async (tx) => {
        await addStockLevel(tx, { productId: p.productId, storeId: p.storeId, onHand: p.initialStock });
        return [];
      });
    },
    onOrderPaid: async (event) => {
      const order = event.payload;
      const lines = order.items.map((i) => ({ productId: i.productId, quantity: i.quantity }));
      // A paid order always names itself and at least one positive line; anything else will never succeed.
      if (
        !order.orderId ||
        lines.length === 0 ||
        lines.some((l) => !l.productId || !Number.isInteger(l.quantity) || l.quantity < 1)
      )
        throw new PermanentError(
          `malformed OrderPaid ${event.id}: order id, and lines with a product and a quantity of at least 1, are required`,
        );
      await kit.work.handleOnce(inventoryConsumers.onOrderPaid.durable, event, async (tx) => {
        if (await findReservation(tx, order.orderId)) return []; // decided already (a second OrderPaid)
        const levels = await lockStockLevels(tx, [...new Set(lines.map((l) => l.productId))]);
        const missing = lines.find((l) => !levels.has(l.productId));
        // Orders only sells products stores announced; inventory may just not have seen ProductAdded yet
        // (another stream, no order between them). Retry; after max deliveries it is dead-lettered.
        if (missing) throw new TransientError(`stock of ${missing.productId} is not known yet`);
        const decision = decideReservation(lines, levels);
        const at = now();
        if (decision.reserved) await setStockLevels(tx, decision.levels);
        await recordReservation(
          tx,
          order.orderId,
          decision.reserved,
          lines,
          decision.reserved ? undefined : decision.productId,
          at,
        );
        return [reservationEvent(order.orderId, lines, decision, at)];
      });
    },
  };
}
