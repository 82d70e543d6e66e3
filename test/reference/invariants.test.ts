// The invariant checker must catch each kind of inconsistency it claims to (else the demo and the fault
// tests could pass while broken). Five real PGlite databases with hand-made end states.
import { join } from 'node:path';
import { type Db, migrate, migrateOutbox, openPgliteDb } from 'eventkit/outbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInvariants, type SystemDbs } from '../../src/reference/system/invariants.ts';
import { SERVICE_NAMES } from '../../src/reference/system/services.ts';

const dbs: Record<string, Db> = {};

beforeAll(async () => {
  for (const service of SERVICE_NAMES) {
    const db = await openPgliteDb('memory://');
    await migrateOutbox(db);
    await migrate(db, join(import.meta.dirname, '../../src/reference', service, 'migrations'));
    dbs[service] = db;
  }
}, 120_000);
afterAll(async () => {
  for (const db of Object.values(dbs)) await db.close();
});

const line = (productId: string, quantity: number) => ({
  productId,
  storeId: 'sto_1',
  quantity,
  unitPrice: { currency: 'EUR', amountMinor: 100 },
});

async function reset(): Promise<void> {
  for (const db of Object.values(dbs))
    for (const table of [
      'outbox',
      'inbox',
      'orders',
      'payment_store_shares',
      'payments',
      'stock',
      'reservations',
      'notifications',
      'deliveries',
    ])
      await db.query(`DELETE FROM ${table}`).catch(() => undefined);
}

async function order(
  id: string,
  status: string,
  reason: string | null,
  lines: unknown[],
  paymentId: string | null = null,
): Promise<void> {
  await dbs.orders?.query(
    `INSERT INTO orders (order_id, customer_id, payment_method_id, status, lines, currency, total_minor, payment_id, cancel_reason, placed_at, updated_at)
     VALUES ($1, 'cus_1', 'pm_1', $2, $3, 'EUR', 100, $4, $5, now(), now())`,
    [id, status, JSON.stringify(lines), paymentId, reason],
  );
}

async function consistentShop(): Promise<void> {
  await reset();
  await order('ord_ok', 'completed', null, [line('prd_a', 2)], 'pay_ok');
  await order('ord_oos', 'cancelled', 'stock_unavailable', [line('prd_a', 50)], 'pay_oos');
  await order('ord_dec', 'cancelled', 'payment_declined', [line('prd_a', 1)]);
  await dbs.payments?.query(
    `INSERT INTO payments (order_id, payment_id, customer_id, currency, amount_minor, status, charged_at) VALUES
     ('ord_ok', 'pay_ok', 'cus_1', 'EUR', 200, 'approved', now()), ('ord_oos', 'pay_oos', 'cus_1', 'EUR', 5000, 'refunded', now()),
     ('ord_dec', 'pay_dec', 'cus_1', 'EUR', 100, 'declined', now())`,
  );
  await dbs.payments?.query(
    `INSERT INTO payment_store_shares (order_id, store_id, currency, amount_minor) VALUES
     ('ord_ok', 'sto_1', 'EUR', 150), ('ord_ok', 'sto_2', 'EUR', 50), ('ord_oos', 'sto_1', 'EUR', 5000)`,
  );
  await dbs.inventory?.query(
    "INSERT INTO stock (product_id, store_id, initial_stock, on_hand) VALUES ('prd_a', 'sto_1', 10, 8)",
  );
  await dbs.inventory?.query(
    `INSERT INTO reservations (order_id, reserved, lines, decided_at) VALUES ('ord_ok', true, '[]', now()), ('ord_oos', false, '[]', now())`,
  );
  for (const [id, outcome] of [
    ['ord_ok', 'completed'],
    ['ord_oos', 'cancelled'],
    ['ord_dec', 'cancelled'],
  ] as const) {
    for (const [what, job] of [
      [outcome, `ntf_${id}`],
      ['received', `ntf_r_${id}`],
    ] as const) {
      await dbs.notifications?.query(
        `INSERT INTO notifications (order_id, outcome, job_id, recipient, subject, body, created_at) VALUES ($1, $2, $3, 'r', 's', 'b', now())`,
        [id, what, job],
      );
      await dbs.notifications?.query(
        "INSERT INTO deliveries (job_id, worker, delivered_at) VALUES ($1, 'w1', now())",
        [job],
      );
    }
  }
  await dbs.orders?.query(
    "INSERT INTO outbox (id, subject, type, headers, data, published_at) VALUES ('e1', 'orders.order-placed.v1.ord_ok', 'orders.v1.OrderPlaced', '{}', '\\x00', now())",
  );
}

const check = () => checkInvariants(dbs as unknown as SystemDbs);

describe('checkInvariants', () => {
  it('passes a consistent end state', async () => {
    await consistentShop();
    const report = await check();
    expect(report.violations).toEqual([]);
    expect(report.checked.length).toBeGreaterThan(20);
  });

  it.each([
    [
      'an order that never finished',
      "UPDATE orders SET status = 'paid' WHERE order_id = 'ord_ok'",
      'orders',
      /terminal state.*ord_ok is paid/,
    ],
    [
      'stock taken without a completed order',
      "UPDATE stock SET on_hand = 7 WHERE product_id = 'prd_a'",
      'inventory',
      /stock taken.*prd_a: taken 3, completed orders hold 2/,
    ],
    [
      'a refund for an order that completed',
      "UPDATE payments SET status = 'refunded' WHERE order_id = 'ord_ok'",
      'payments',
      /refund.*ord_ok refunded/,
    ],
    [
      'a cancelled paid order left unrefunded',
      "UPDATE payments SET status = 'approved' WHERE order_id = 'ord_oos'",
      'payments',
      /ord_oos cancelled after payment/,
    ],
    [
      'store shares that do not add up to the charge',
      "UPDATE payment_store_shares SET amount_minor = 40 WHERE order_id = 'ord_ok' AND store_id = 'sto_2'",
      'payments',
      /store shares add up.*ord_ok: charged 200, shares 190/,
    ],
    [
      'an event produced twice',
      "INSERT INTO outbox (id, subject, type, headers, data, published_at) VALUES ('e2', 'orders.order-placed.v1.ord_ok', 'orders.v1.OrderPlaced', '{}', '\\x00', now())",
      'orders',
      /produced once.*ord_ok ×2/,
    ],
    [
      'an event never relayed',
      'UPDATE outbox SET published_at = NULL',
      'orders',
      /every outbox row was published: e1/,
    ],
    [
      'a notification never delivered',
      "DELETE FROM deliveries WHERE job_id = 'ntf_ord_dec'",
      'notifications',
      /delivered: ntf_ord_dec/,
    ],
    [
      'an order nobody was told about',
      "DELETE FROM notifications WHERE order_id = 'ord_dec' AND outcome <> 'received'",
      'notifications',
      /terminal order was notified: ord_dec/,
    ],
    [
      'an order without an "order received" message',
      "DELETE FROM notifications WHERE order_id = 'ord_ok' AND outcome = 'received'",
      'notifications',
      /"order received" notification: ord_ok/,
    ],
  ])('reports %s', async (_name, sql, service, expected) => {
    await consistentShop();
    await dbs[service]?.query(sql);
    const report = await check();
    expect(report.violations.join('\n')).toMatch(expected);
  });
});
