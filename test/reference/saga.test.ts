// The reference shop's patterns, each against real parts: nats-server -js, PGlite, the generated code.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildOrderHistory } from '../../src/reference/notifications/order-history.ts';
import { createOrdersPublisher, ordersConsumers } from '../../src/reference/orders/generated/index.ts';
import type { RunningService } from '../../src/reference/platform/service-infra.ts';
import {
  createPublisher,
  DEADLETTER_PREFIX,
  DEADLETTER_STREAM,
  ERROR_HEADERS,
  readDeadLetter,
} from '../../src/runtime/index.ts';
import { startTestSystem, type TestSystem } from './system.ts';

let sys: TestSystem;
const db = (name: string) => (sys.services.get(name as never) as RunningService).infra.db;
const rows = async <R>(service: string, sql: string, params: unknown[] = []) =>
  (await db(service).query<R>(sql, params as never)).rows;

beforeAll(async () => {
  sys = await startTestSystem();
}, 120_000);
afterAll(async () => {
  await sys?.stop();
});

async function streamSubjects(stream: string, filter = '>'): Promise<Record<string, number>> {
  const jsm = await jetstreamManager(sys.nc);
  return (await jsm.streams.info(stream, { subjects_filter: filter })).state.subjects ?? {};
}

describe('choreographed saga', () => {
  it('happy path: OrderPlaced → PaymentApproved → OrderPaid → StockReserved → OrderCompleted', async () => {
    const reply = await sys.placeOrder({
      lines: [
        { productId: 'prd_coffee', quantity: 2 },
        { productId: 'prd_cake', quantity: 1 },
      ],
    });
    expect(reply).toMatchObject({
      ok: true,
      error: 'PLACE_ORDER_ERROR_UNSPECIFIED',
      total: { currencyCode: 'EUR', amountMinor: 1120 },
    });
    expect(await sys.waitForOrder(reply.orderId, ['completed', 'cancelled'])).toBe('completed');
    expect(
      await rows('payments', 'SELECT status, amount_minor::int AS amount FROM payments WHERE order_id = $1', [
        reply.orderId,
      ]),
    ).toEqual([{ status: 'approved', amount: 1120 }]);
    // Payments reads orders.v2.OrderPlaced and records each store's share of the charge.
    expect(
      await rows(
        'payments',
        'SELECT store_id, amount_minor::int AS amount FROM payment_store_shares WHERE order_id = $1',
        [reply.orderId],
      ),
    ).toEqual([{ store_id: 'sto_1', amount: 1120 }]);
    expect(
      await rows('inventory', 'SELECT reserved FROM reservations WHERE order_id = $1', [reply.orderId]),
    ).toEqual([{ reserved: true }]);
    // Every step is on its stream once, keyed by the order id (the partition key is in the subject).
    const id = reply.orderId;
    const orders = await streamSubjects('ORDERS', `orders.*.v1.${id}`);
    expect(orders).toEqual({
      [`orders.order-placed.v1.${id}`]: 1,
      [`orders.order-paid.v1.${id}`]: 1,
      [`orders.order-completed.v1.${id}`]: 1,
    });
    expect(await streamSubjects('PAYMENTS', `payments.*.v1.${id}`)).toEqual({
      [`payments.payment-approved.v1.${id}`]: 1,
    });
    expect(await streamSubjects('INVENTORY', `inventory.*.v1.${id}`)).toEqual({
      [`inventory.stock-reserved.v1.${id}`]: 1,
    });
    // One correlation id across the saga: each event names the command/event that caused it.
    const jsm = await jetstreamManager(sys.nc);
    const completed = await jsm.streams.getMessage('ORDERS', {
      last_by_subj: `orders.order-completed.v1.${id}`,
    });
    const placed = await jsm.streams.getMessage('ORDERS', { last_by_subj: `orders.order-placed.v1.${id}` });
    expect(completed?.header.get('ce-correlationid')).toBe(placed?.header.get('ce-correlationid'));
    expect(placed?.seq).toBeLessThan(completed?.seq ?? 0);
    // Migration window: the same state change also went out as orders.v2.OrderPlaced, once, in the same flow.
    expect(await streamSubjects('ORDERS', `orders.order-placed.v2.${id}`)).toEqual({
      [`orders.order-placed.v2.${id}`]: 1,
    });
    const placedV2 = await jsm.streams.getMessage('ORDERS', { last_by_subj: `orders.order-placed.v2.${id}` });
    expect(placedV2?.header.get('ce-type')).toBe('orders.v2.OrderPlaced');
    expect(placedV2?.header.get('ce-correlationid')).toBe(placed?.header.get('ce-correlationid'));
    expect(placedV2?.header.get('ce-id')).not.toBe(placed?.header.get('ce-id'));
  });

  it('PaymentDeclined → OrderCancelled: no stock taken, nothing refunded', async () => {
    const before = await rows<{ on_hand: number }>(
      'inventory',
      "SELECT on_hand FROM stock WHERE product_id = 'prd_coffee'",
    );
    const reply = await sys.placeOrder({
      paymentMethodId: 'pm_declined_1',
      lines: [{ productId: 'prd_coffee', quantity: 1 }],
    });
    expect(await sys.waitForOrder(reply.orderId, ['completed', 'cancelled'])).toBe('cancelled');
    expect((await sys.order(reply.orderId))?.cancel_reason).toBe('payment_declined');
    expect(
      await rows('payments', 'SELECT status FROM payments WHERE order_id = $1', [reply.orderId]),
    ).toEqual([{ status: 'declined' }]);
    await sys.quiet();
    expect(
      await rows('inventory', 'SELECT * FROM reservations WHERE order_id = $1', [reply.orderId]),
    ).toEqual([]);
    expect(await rows('inventory', "SELECT on_hand FROM stock WHERE product_id = 'prd_coffee'")).toEqual(
      before,
    );
  });

  it('StockReservationFailed → OrderCancelled → PaymentRefunded (compensation)', async () => {
    const reply = await sys.placeOrder({ lines: [{ productId: 'prd_rare', quantity: 3 }] });
    expect(reply.ok).toBe(true);
    expect(await sys.waitForOrder(reply.orderId, ['completed', 'cancelled'])).toBe('cancelled');
    expect((await sys.order(reply.orderId))?.cancel_reason).toBe('stock_unavailable');
    await sys.quiet();
    expect(
      await rows('payments', 'SELECT status FROM payments WHERE order_id = $1', [reply.orderId]),
    ).toEqual([{ status: 'refunded' }]);
    expect(await streamSubjects('PAYMENTS', `payments.payment-refunded.v1.${reply.orderId}`)).toEqual({
      [`payments.payment-refunded.v1.${reply.orderId}`]: 1,
    });
    expect(await rows('inventory', "SELECT on_hand FROM stock WHERE product_id = 'prd_rare'")).toEqual([
      { on_hand: 2 },
    ]);
  });
});

describe('two majors side by side (orders.v2.OrderPlaced)', () => {
  it('payments dead-letters a v2 OrderPlaced whose store shares do not add up to the total, and charges nothing', async () => {
    const orders = createOrdersPublisher(createPublisher({ transport: sys.transport, source: 'orders' }));
    const orderId = 'ord_bad0000ff';
    const eur = (amountMinor: number) => ({ currencyCode: 'EUR', amountMinor });
    await orders.publishOrderPlacedV2({
      orderId,
      customerId: 'cus_shares',
      paymentMethodId: 'pm_card',
      total: eur(900),
      stores: [{ storeId: 'sto_1', lines: [], subtotal: eur(800) }],
    });
    const jsm = await jetstreamManager(sys.nc);
    const subject = `${DEADLETTER_PREFIX}.payments.orders.order-placed.v2.${orderId}`;
    let letter: Awaited<ReturnType<typeof jsm.streams.getMessage>> = null;
    for (let i = 0; i < 100 && !letter; i++) {
      letter = await jsm.streams.getMessage(DEADLETTER_STREAM, { last_by_subj: subject }).catch(() => null);
      if (!letter) await new Promise((r) => setTimeout(r, 100));
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of letter?.header ?? []) headers[k] = v[0] as string;
    expect(readDeadLetter(headers)).toMatchObject({
      reason: 'permanent',
      consumer: 'payments--order-placed-v2',
      error: expect.stringMatching(/store subtotals \(800\) must add up to the total \(900 EUR\)/),
    });
    expect(await rows('payments', 'SELECT * FROM payments WHERE order_id = $1', [orderId])).toEqual([]);
  });
});

describe('event-carried state transfer', () => {
  it('orders prices from its own copy of the catalogue; price changes, removals and new products arrive as events', async () => {
    await sys.stores.catalog.changePrice('prd_cake', { currency: 'EUR', amountMinor: 500 });
    await sys.stores.catalog.addProduct({
      productId: 'prd_new',
      storeId: 'sto_1',
      name: 'New',
      description: '',
      sku: 'CC-9',
      price: { currency: 'EUR', amountMinor: 100 },
      initialStock: 7,
    });
    await sys.quiet();
    expect(await rows('inventory', "SELECT on_hand FROM stock WHERE product_id = 'prd_new'")).toEqual([
      { on_hand: 7 },
    ]);
    const priced = await sys.placeOrder({
      lines: [
        { productId: 'prd_cake', quantity: 2 },
        { productId: 'prd_new', quantity: 1 },
      ],
    });
    expect(priced.total?.amountMinor).toBe(1100);
    await sys.stores.catalog.removeProduct('prd_new');
    await sys.quiet();
    const refused = await sys.placeOrder({ lines: [{ productId: 'prd_new', quantity: 1 }] });
    expect(refused).toMatchObject({ ok: false, error: 'PLACE_ORDER_ERROR_UNKNOWN_PRODUCT' });
    await sys.waitForOrder(priced.orderId, ['completed']);
  });
});

describe('PlaceOrder refuses bad commands: reason code, nothing stored or published', () => {
  it('answers each bad command with its reason and changes nothing', async () => {
    await sys.quiet();
    const jsm = await jetstreamManager(sys.nc);
    const ordersBefore = (await jsm.streams.info('ORDERS')).state.messages;
    const rowsBefore = await rows(
      'orders',
      'SELECT (SELECT count(*) FROM orders)::int AS orders, (SELECT count(*) FROM outbox)::int AS outbox',
    );
    const cases: [string, Parameters<TestSystem['placeOrder']>[0], string][] = [
      [
        'unknown product',
        { lines: [{ productId: 'prd_nope', quantity: 1 }] },
        'PLACE_ORDER_ERROR_UNKNOWN_PRODUCT',
      ],
      [
        'zero quantity',
        { lines: [{ productId: 'prd_coffee', quantity: 0 }] },
        'PLACE_ORDER_ERROR_INVALID_QUANTITY',
      ],
      [
        'negative quantity',
        { lines: [{ productId: 'prd_coffee', quantity: -2 }] },
        'PLACE_ORDER_ERROR_INVALID_QUANTITY',
      ],
      ['empty basket', { lines: [] }, 'PLACE_ORDER_ERROR_EMPTY_ORDER'],
      [
        'no customer',
        { customerId: '', lines: [{ productId: 'prd_coffee', quantity: 1 }] },
        'PLACE_ORDER_ERROR_MISSING_CUSTOMER',
      ],
    ];
    for (const [name, request, code] of cases) {
      const reply = await sys.placeOrder(request);
      expect({ name, ok: reply.ok, error: reply.error, orderId: reply.orderId }).toEqual({
        name,
        ok: false,
        error: code,
        orderId: '',
      });
      expect(reply.errorMessage.length).toBeGreaterThan(0);
    }
    // Malformed payload: bytes that are not a PlaceOrder.
    const h = natsHeaders();
    h.set('ce-type', 'orders.v1.PlaceOrder');
    h.set('ce-id', 'bad-1');
    h.set('content-type', 'application/protobuf');
    const malformed = await sys.nc.request(
      'cmd.orders.place-order.v1',
      new Uint8Array([0xff, 0xff, 0xff, 0x0f]),
      { timeout: 5000, headers: h },
    );
    expect(malformed.headers?.get(ERROR_HEADERS.kind)).toBe('permanent');
    expect(malformed.headers?.get(ERROR_HEADERS.error)).toMatch(/Decode|Schema/);
    // A command version orders does not serve.
    const future = await sys.nc.request('cmd.orders.place-order.v9', new Uint8Array(0), { timeout: 5000 });
    expect(future.headers?.get(ERROR_HEADERS.error)).toMatch(
      /UnsupportedVersion.*cmd\.orders\.place-order\.v9/,
    );
    expect(future.headers?.get(ERROR_HEADERS.kind)).toBe('permanent');
    expect(
      await rows(
        'orders',
        'SELECT (SELECT count(*) FROM orders)::int AS orders, (SELECT count(*) FROM outbox)::int AS outbox',
      ),
    ).toEqual(rowsBefore);
    expect((await jsm.streams.info('ORDERS')).state.messages).toBe(ordersBefore);
  });

  it('repeating a request with the same idempotency key returns the first order', async () => {
    const first = await sys.placeOrder({
      idempotencyKey: 'same-key',
      lines: [{ productId: 'prd_cake', quantity: 1 }],
    });
    const again = await sys.placeOrder({
      idempotencyKey: 'same-key',
      lines: [{ productId: 'prd_cake', quantity: 1 }],
    });
    expect(again.orderId).toBe(first.orderId);
    expect(
      await rows('orders', "SELECT count(*)::int AS n FROM orders WHERE idempotency_key = 'same-key'"),
    ).toEqual([{ n: 1 }]);
  });
});

describe('notifications: notification events + GetOrder callback, work queue with competing workers', () => {
  it('reads each finished order back through GetOrder and delivers one message per order through the workers', async () => {
    const placed = await Promise.all(
      Array.from({ length: 24 }, () => sys.placeOrder({ lines: [{ productId: 'prd_cake', quantity: 1 }] })),
    );
    for (const r of placed) await sys.waitForOrder(r.orderId, ['completed', 'cancelled']);
    await sys.quiet();
    const notes = await rows<{ order_id: string; body: string }>(
      'notifications',
      "SELECT order_id, body FROM notifications WHERE order_id = ANY($1) AND outcome <> 'received'",
      [placed.map((p) => p.orderId)],
    );
    expect(notes).toHaveLength(24);
    // OrderPlaced v1 (notifications stays on v1 while payments reads v2): one "order received" per order.
    const received = await rows<{ body: string }>(
      'notifications',
      "SELECT body FROM notifications WHERE order_id = ANY($1) AND outcome = 'received'",
      [placed.map((p) => p.orderId)],
    );
    expect(received).toHaveLength(24);
    expect(received[0]?.body).toMatch(/We received your order ord_\w+ \(EUR 5\.00\)/);
    // OrderCompleted carries ids only: the amount in the text came from the GetOrder reply.
    expect(notes[0]?.body).toMatch(/EUR 5\.00/);
    const deliveries = await rows<{ worker: string; n: number }>(
      'notifications',
      'SELECT worker, count(*)::int AS n FROM deliveries GROUP BY worker',
    );
    expect(deliveries.length).toBeGreaterThan(1);
    const jobs = await rows<{ total: number; distinct: number }>(
      'notifications',
      'SELECT count(*)::int AS total, count(DISTINCT job_id)::int AS distinct FROM deliveries',
    );
    expect(jobs[0]?.total).toBe(jobs[0]?.distinct);
    expect(await rows('notifications', 'SELECT count(*)::int AS n FROM notifications')).toEqual([
      { n: jobs[0]?.total },
    ]);
    // Work-queue retention: an acknowledged job leaves the stream.
    const jsm = await jetstreamManager(sys.nc);
    expect((await jsm.streams.info('NOTIFICATIONS')).state.messages).toBe(0);
  });

  it('rebuilds the order-history read model by replaying ORDERS from the start', async () => {
    await sys.quiet();
    const live = await rows(
      'notifications',
      'SELECT customer_id, completed, cancelled FROM customer_order_history ORDER BY customer_id',
    );
    expect(live.length).toBeGreaterThan(0);
    const notifications = sys.services.get('notifications') as RunningService;
    const result = await rebuildOrderHistory(notifications.infra);
    expect(result.replayed).toBeGreaterThan(0);
    expect(
      await rows(
        'notifications',
        'SELECT customer_id, completed, cancelled FROM customer_order_history ORDER BY customer_id',
      ),
    ).toEqual(live);
  });
});

describe('transactional outbox, idempotent inbox, per-order ordering', () => {
  it('every outbox row was published and marked with the stream sequence JetStream gave it', async () => {
    await sys.quiet();
    const jsm = await jetstreamManager(sys.nc);
    const outbox = await rows<{
      subject: string;
      stream_seq: string | null;
      published_at: Date | null;
      id: string;
    }>('orders', 'SELECT id, subject, stream_seq, published_at FROM outbox ORDER BY seq');
    expect(outbox.length).toBeGreaterThan(10);
    for (const row of outbox.slice(-10)) {
      expect(row.published_at).not.toBeNull();
      const stored = await jsm.streams.getMessage('ORDERS', { seq: Number(row.stream_seq) });
      expect({ subject: stored?.subject, id: stored?.header.get('Nats-Msg-Id') }).toEqual({
        subject: row.subject,
        id: row.id,
      });
    }
  });

  it('a re-published copy of an event (new Nats-Msg-Id, same ce-id) is applied once, acked and counted', async () => {
    const reply = await sys.placeOrder({ lines: [{ productId: 'prd_cake', quantity: 2 }] });
    await sys.waitForOrder(reply.orderId, ['completed']);
    await sys.quiet();
    const jsm = await jetstreamManager(sys.nc);
    const paid = await jsm.streams.getMessage('ORDERS', {
      last_by_subj: `orders.order-paid.v1.${reply.orderId}`,
    });
    if (!paid) throw new Error('OrderPaid not found');
    const stockBefore = await rows('inventory', "SELECT on_hand FROM stock WHERE product_id = 'prd_cake'");
    const h = natsHeaders();
    for (const [k, v] of paid.header) if (k !== 'Nats-Msg-Id') h.set(k, v[0] as string);
    const ack = await jetstream(sys.nc).publish(paid.subject, paid.data, {
      headers: h,
      msgID: `replay-${paid.seq}`,
    });
    expect(ack.duplicate).toBe(false);
    await sys.quiet();
    const ceId = paid.header.get('ce-id');
    expect(
      await rows('inventory', 'SELECT duplicates FROM inbox WHERE message_id = $1 AND consumer = $2', [
        ceId,
        'inventory--order-paid-v1',
      ]),
    ).toEqual([{ duplicates: 1 }]);
    expect(await rows('inventory', "SELECT on_hand FROM stock WHERE product_id = 'prd_cake'")).toEqual(
      stockBefore,
    );
    expect(
      await rows('inventory', 'SELECT count(*)::int AS n FROM reservations WHERE order_id = $1', [
        reply.orderId,
      ]),
    ).toEqual([{ n: 1 }]);
  });

  it("orders' saga handlers run ordered per order (partition key in the subject)", async () => {
    for (const op of [
      'onPaymentApproved',
      'onPaymentDeclined',
      'onStockReserved',
      'onStockReservationFailed',
    ] as const)
      expect(ordersConsumers[op].ordered).toBe(true);
    const jsm = await jetstreamManager(sys.nc);
    const subjects = Object.keys(await streamSubjects('ORDERS'));
    expect(subjects.length).toBeGreaterThan(0);
    for (const subject of subjects) expect(subject).toMatch(/^orders\.[a-z-]+\.v[12]\.ord_[0-9a-f]+$/);
    // Within each order, the stream holds its events in saga order.
    const sample = subjects.find((s) => s.startsWith('orders.order-completed.v1.'));
    const id = sample?.split('.').at(-1) as string;
    const seqs = await Promise.all(
      ['order-placed', 'order-paid', 'order-completed'].map(
        async (e) =>
          (await jsm.streams.getMessage('ORDERS', { last_by_subj: `orders.${e}.v1.${id}` }))?.seq ?? 0,
      ),
    );
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });
});

describe('HTTP way in (forwards to PlaceOrder / GetOrder over NATS)', () => {
  it('places an order, refuses a bad one with its reason code, rejects malformed JSON', async () => {
    const { startOrdersHttpApi } = await import('../../src/reference/orders/http-api.ts');
    const api = await startOrdersHttpApi(sys.requester);
    try {
      const post = (body: string) =>
        fetch(`${api.url}/orders`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      const ok = await post(
        JSON.stringify({
          customerId: 'cus_http',
          paymentMethodId: 'pm_card',
          lines: [{ productId: 'prd_cake', quantity: 2 }],
        }),
      );
      expect(ok.status).toBe(201);
      const placed = (await ok.json()) as { orderId: string; total: { amountMinor: number } };
      expect(placed.total.amountMinor).toBe(1000);
      await sys.waitForOrder(placed.orderId, ['completed']);
      const view = await fetch(`${api.url}/orders/${placed.orderId}`);
      expect(await view.json()).toMatchObject({
        orderId: placed.orderId,
        status: 'ORDER_STATUS_COMPLETED',
        customerId: 'cus_http',
      });
      const refused = await post(
        JSON.stringify({
          customerId: 'cus_http',
          paymentMethodId: 'pm_card',
          lines: [{ productId: 'prd_cake', quantity: -1 }],
        }),
      );
      expect(refused.status).toBe(422);
      expect(await refused.json()).toMatchObject({ error: 'PLACE_ORDER_ERROR_INVALID_QUANTITY' });
      const malformed = await post('{"customerId": ');
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ error: 'MALFORMED_JSON' });
      expect((await fetch(`${api.url}/orders/ord_missing`)).status).toBe(404);
    } finally {
      await api.close();
    }
  });
});
