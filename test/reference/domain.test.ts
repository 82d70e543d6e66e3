// Pure domain rules of the reference services (no I/O).
import { describe, expect, it } from 'vitest';
import { decideReservation } from '../../src/reference/inventory/domain/stock.ts';
import {
  type KnownProduct,
  placeOrder,
  recordPaymentApproved,
  recordPaymentDeclined,
  recordStockReservationFailed,
  recordStockReserved,
} from '../../src/reference/orders/domain/order.ts';

const products = new Map<string, KnownProduct>([
  [
    'prd_a',
    { productId: 'prd_a', storeId: 'sto_1', price: { currency: 'EUR', amountMinor: 250 }, removed: false },
  ],
  [
    'prd_gone',
    { productId: 'prd_gone', storeId: 'sto_1', price: { currency: 'EUR', amountMinor: 100 }, removed: true },
  ],
]);
const at = new Date('2026-01-01T00:00:00Z');
const request = (lines: { productId: string; quantity: number }[], customerId = 'cus_1') => ({
  orderId: 'ord_1',
  customerId,
  paymentMethodId: 'pm_1',
  lines,
  at,
});

describe('orders: placeOrder', () => {
  it('prices lines from the local catalogue copy', () => {
    const result = placeOrder(request([{ productId: 'prd_a', quantity: 3 }]), products);
    expect(result.ok && result.order.total).toEqual({ currency: 'EUR', amountMinor: 750 });
    expect(result.ok && result.events.map((e) => e.kind)).toEqual(['OrderPlaced']);
  });
  it.each([
    [[], 'empty_order'],
    [[{ productId: 'prd_a', quantity: 0 }], 'invalid_quantity'],
    [[{ productId: 'prd_a', quantity: -1 }], 'invalid_quantity'],
    [[{ productId: 'prd_a', quantity: 1.5 }], 'invalid_quantity'],
    [[{ productId: 'prd_x', quantity: 1 }], 'unknown_product'],
    [[{ productId: 'prd_gone', quantity: 1 }], 'unknown_product'],
  ])('refuses %j with %s', (lines, code) => {
    expect(placeOrder(request(lines), products)).toMatchObject({ ok: false, code });
  });
  it('refuses an order without a customer', () => {
    expect(placeOrder(request([{ productId: 'prd_a', quantity: 1 }], ' '), products)).toMatchObject({
      ok: false,
      code: 'missing_customer',
    });
  });
});

describe('orders: saga transitions', () => {
  const placed = (() => {
    const r = placeOrder(request([{ productId: 'prd_a', quantity: 1 }]), products);
    if (!r.ok) throw new Error('setup');
    return r.order;
  })();
  it('placed → paid → completed', () => {
    const paid = recordPaymentApproved(placed, 'pay_1', at);
    expect(paid.changed && paid.order.status).toBe('paid');
    if (!paid.changed) return;
    const done = recordStockReserved(paid.order, at);
    expect(done.changed && done.events.map((e) => e.kind)).toEqual(['OrderCompleted']);
  });
  it('declined → cancelled; out of stock after payment → cancelled', () => {
    expect(recordPaymentDeclined(placed, at)).toMatchObject({
      changed: true,
      order: { status: 'cancelled', cancelReason: 'payment_declined' },
    });
    const paid = recordPaymentApproved(placed, 'pay_1', at);
    if (!paid.changed) throw new Error('setup');
    expect(recordStockReservationFailed(paid.order, at)).toMatchObject({
      changed: true,
      order: { cancelReason: 'stock_unavailable' },
    });
  });
  it('ignores a step for an order already past it (late or repeated event)', () => {
    expect(recordStockReserved(placed, at).changed).toBe(false);
    const paid = recordPaymentApproved(placed, 'pay_1', at);
    if (!paid.changed) throw new Error('setup');
    expect(recordPaymentApproved(paid.order, 'pay_2', at).changed).toBe(false);
    expect(recordPaymentDeclined(paid.order, at).changed).toBe(false);
  });
});

describe('inventory: decideReservation', () => {
  const levels = new Map([
    ['prd_a', { productId: 'prd_a', storeId: 'sto_1', onHand: 5 }],
    ['prd_b', { productId: 'prd_b', storeId: 'sto_1', onHand: 1 }],
  ]);
  it('reserves every line or none', () => {
    expect(
      decideReservation(
        [
          { productId: 'prd_a', quantity: 2 },
          { productId: 'prd_b', quantity: 1 },
        ],
        levels,
      ),
    ).toEqual({
      reserved: true,
      levels: [
        { productId: 'prd_a', storeId: 'sto_1', onHand: 3 },
        { productId: 'prd_b', storeId: 'sto_1', onHand: 0 },
      ],
    });
    expect(
      decideReservation(
        [
          { productId: 'prd_a', quantity: 2 },
          { productId: 'prd_b', quantity: 2 },
        ],
        levels,
      ),
    ).toEqual({
      reserved: false,
      productId: 'prd_b',
      requested: 2,
      available: 1,
    });
  });
  it('sums lines of the same product, so splitting a line cannot overdraw', () => {
    expect(
      decideReservation(
        [
          { productId: 'prd_a', quantity: 3 },
          { productId: 'prd_a', quantity: 3 },
        ],
        levels,
      ),
    ).toMatchObject({ reserved: false, requested: 6 });
  });
});
