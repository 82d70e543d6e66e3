// The orders domain: placing an order and moving it through the checkout saga. Pure: no I/O.

export interface Money {
  readonly currency: string;
  readonly amountMinor: number;
}

/** Orders' local copy of a stores product (event-carried state transfer). */
export interface KnownProduct {
  readonly productId: string;
  readonly storeId: string;
  readonly price: Money;
  readonly removed: boolean;
}

export interface OrderLine {
  readonly productId: string;
  readonly storeId: string;
  readonly quantity: number;
  readonly unitPrice: Money;
}

export type OrderStatus = 'placed' | 'paid' | 'completed' | 'cancelled';
export type CancelReason = 'payment_declined' | 'stock_unavailable';

export interface Order {
  readonly orderId: string;
  readonly customerId: string;
  readonly paymentMethodId: string;
  readonly lines: readonly OrderLine[];
  readonly total: Money;
  readonly status: OrderStatus;
  readonly paymentId?: string;
  readonly cancelReason?: CancelReason;
  readonly placedAt: Date;
  readonly updatedAt: Date;
}

export type OrdersDomainEvent =
  | { readonly kind: 'OrderPlaced'; readonly order: Order }
  | { readonly kind: 'OrderPaid'; readonly order: Order }
  | { readonly kind: 'OrderCompleted'; readonly order: Order }
  | { readonly kind: 'OrderCancelled'; readonly order: Order };

export type PlaceOrderErrorCode =
  | 'empty_order'
  | 'invalid_quantity'
  | 'unknown_product'
  | 'missing_customer'
  | 'mixed_currency';

export interface PlaceOrderRequest {
  readonly orderId: string;
  readonly customerId: string;
  readonly paymentMethodId: string;
  readonly lines: readonly { readonly productId: string; readonly quantity: number }[];
  readonly at: Date;
}

export type PlaceOrderResult =
  | { readonly ok: true; readonly order: Order; readonly events: OrdersDomainEvent[] }
  | { readonly ok: false; readonly code: PlaceOrderErrorCode; readonly message: string };

const MAX_QUANTITY = 10_000;

/** Validates the request against orders' copy of the catalogue and prices it. */
export function placeOrder(
  request: PlaceOrderRequest,
  products: ReadonlyMap<string, KnownProduct>,
): PlaceOrderResult {
  if (!request.customerId.trim() || !request.paymentMethodId.trim())
    return { ok: false, code: 'missing_customer', message: 'customerId and paymentMethodId are required' };
  if (request.lines.length === 0)
    return { ok: false, code: 'empty_order', message: 'an order needs at least one line' };
  const lines: OrderLine[] = [];
  for (const [index, line] of request.lines.entries()) {
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY)
      return {
        ok: false,
        code: 'invalid_quantity',
        message: `line ${index + 1} (${line.productId}): quantity must be a whole number from 1 to ${MAX_QUANTITY}, got ${line.quantity}`,
      };
    const product = products.get(line.productId);
    if (!product || product.removed)
      return {
        ok: false,
        code: 'unknown_product',
        message: `line ${index + 1}: product "${line.productId}" is not in the catalogue`,
      };
    lines.push({
      productId: product.productId,
      storeId: product.storeId,
      quantity: line.quantity,
      unitPrice: product.price,
    });
  }
  const currency = lines[0]?.unitPrice.currency ?? 'EUR';
  if (lines.some((l) => l.unitPrice.currency !== currency))
    return { ok: false, code: 'mixed_currency', message: 'all lines of an order must share one currency' };
  const total = {
    currency,
    amountMinor: lines.reduce((sum, l) => sum + l.quantity * l.unitPrice.amountMinor, 0),
  };
  const order: Order = {
    orderId: request.orderId,
    customerId: request.customerId,
    paymentMethodId: request.paymentMethodId,
    lines,
    total,
    status: 'placed',
    placedAt: request.at,
    updatedAt: request.at,
  };
  return { ok: true, order, events: [{ kind: 'OrderPlaced', order }] };
}

/**
 * Outcome of applying a saga step. `ignored` means the order is already past this step (a late or
 * repeated event): nothing changes and nothing is published.
 */
export type Transition =
  | { readonly changed: true; readonly order: Order; readonly events: OrdersDomainEvent[] }
  | { readonly changed: false; readonly reason: string };

export function recordPaymentApproved(order: Order, paymentId: string, at: Date): Transition {
  if (order.status !== 'placed') return { changed: false, reason: `order is ${order.status}` };
  const paid: Order = { ...order, status: 'paid', paymentId, updatedAt: at };
  return { changed: true, order: paid, events: [{ kind: 'OrderPaid', order: paid }] };
}

export function recordPaymentDeclined(order: Order, at: Date): Transition {
  if (order.status !== 'placed') return { changed: false, reason: `order is ${order.status}` };
  return cancel(order, 'payment_declined', at);
}

export function recordStockReserved(order: Order, at: Date): Transition {
  if (order.status !== 'paid') return { changed: false, reason: `order is ${order.status}` };
  const completed: Order = { ...order, status: 'completed', updatedAt: at };
  return { changed: true, order: completed, events: [{ kind: 'OrderCompleted', order: completed }] };
}

export function recordStockReservationFailed(order: Order, at: Date): Transition {
  if (order.status !== 'paid') return { changed: false, reason: `order is ${order.status}` };
  return cancel(order, 'stock_unavailable', at);
}

function cancel(order: Order, reason: CancelReason, at: Date): Transition {
  const cancelled: Order = { ...order, status: 'cancelled', cancelReason: reason, updatedAt: at };
  return { changed: true, order: cancelled, events: [{ kind: 'OrderCancelled', order: cancelled }] };
}

export function isTerminal(status: OrderStatus): boolean {
  return status === 'completed' || status === 'cancelled';
}
