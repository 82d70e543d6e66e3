// The inventory domain: reserve every line of a paid order, all or nothing. Stock never goes below 0.

export interface StockLevel {
  readonly productId: string;
  readonly storeId: string;
  readonly onHand: number;
}

export interface ReservationLine {
  readonly productId: string;
  readonly quantity: number;
}

export type ReservationDecision =
  | { readonly reserved: true; readonly levels: StockLevel[] }
  | {
      readonly reserved: false;
      readonly productId: string;
      readonly requested: number;
      readonly available: number;
    };

/**
 * Decides a reservation from the current levels (the caller read them under a row lock).
 * Lines naming the same product are summed, so an order cannot overdraw by splitting a line.
 */
export function decideReservation(
  lines: readonly ReservationLine[],
  levels: ReadonlyMap<string, StockLevel>,
): ReservationDecision {
  const wanted = new Map<string, number>();
  for (const line of lines) wanted.set(line.productId, (wanted.get(line.productId) ?? 0) + line.quantity);
  const after: StockLevel[] = [];
  for (const [productId, quantity] of [...wanted].sort(([a], [b]) => a.localeCompare(b))) {
    const level = levels.get(productId);
    const available = level?.onHand ?? 0;
    if (!level || available < quantity) return { reserved: false, productId, requested: quantity, available };
    after.push({ ...level, onHand: available - quantity });
  }
  return { reserved: true, levels: after };
}
