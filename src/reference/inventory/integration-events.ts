// The ONE place where inventory's decisions become integration events (asyncapi/inventory.yaml).
import type { OutboundMessage } from '../../runtime/api.ts';
import { toTimestamp } from '../platform/proto-values.ts';
import type { ReservationDecision, ReservationLine } from './domain/stock.ts';
import { inventoryEnvelopes } from './generated/index.ts';

export function reservationEvent(
  orderId: string,
  lines: readonly ReservationLine[],
  decision: ReservationDecision,
  at: Date,
): OutboundMessage {
  if (decision.reserved)
    return inventoryEnvelopes.publishStockReserved({
      reservationId: `res_${orderId.replace(/^ord_/, '')}`,
      orderId,
      items: lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
      reservedAt: toTimestamp(at),
    });
  return inventoryEnvelopes.publishStockReservationFailed({
    orderId,
    reason: 'RESERVATION_FAILURE_REASON_INSUFFICIENT_STOCK',
    shortages: [
      {
        productId: decision.productId,
        requestedQuantity: decision.requested,
        availableQuantity: decision.available,
      },
    ],
    failedAt: toTimestamp(at),
  });
}
