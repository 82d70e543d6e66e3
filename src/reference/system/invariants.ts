import type { Queryable } from 'eventkit/outbox';

/** The databases of the five services (open after the services stopped, or live in one process). */
export interface SystemDbs {
  readonly stores: Queryable;
  readonly orders: Queryable;
  readonly payments: Queryable;
  readonly inventory: Queryable;
  readonly notifications: Queryable;
}

export interface InvariantReport {
  /** Human-readable violations; empty when the system is consistent. */
  readonly violations: string[];
  readonly checked: string[];
}

interface LineJson {
  productId: string;
  quantity: number;
}

const sample = (ids: readonly string[]) =>
  `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? `, … (${ids.length})` : ''}`;

/**
 * Checks the saga's end state across all services. Every check reads committed data only, so it is
 * meaningful after a crash test: nothing lost (every order terminal, every event relayed), nothing
 * applied twice (one effect per message and per order), and the services agree with each other.
 */
export async function checkInvariants(dbs: SystemDbs): Promise<InvariantReport> {
  const violations: string[] = [];
  const checked: string[] = [];
  const check = (name: string, bad: string[]) => {
    checked.push(name);
    if (bad.length > 0) violations.push(`${name}: ${sample(bad)}`);
  };

  const orders = (
    await dbs.orders.query<{
      order_id: string;
      status: string;
      cancel_reason: string | null;
      lines: LineJson[] | string;
      payment_id: string | null;
    }>('SELECT order_id, status, cancel_reason, lines, payment_id FROM orders')
  ).rows.map((o) => ({
    ...o,
    lines: typeof o.lines === 'string' ? (JSON.parse(o.lines) as LineJson[]) : o.lines,
  }));
  const byId = new Map(orders.map((o) => [o.order_id, o]));

  check(
    'every order reached a terminal state (completed or cancelled)',
    orders
      .filter((o) => o.status !== 'completed' && o.status !== 'cancelled')
      .map((o) => `${o.order_id} is ${o.status}`),
  );

  // Stock: never negative, and what left the shelves is exactly what completed orders hold.
  const stock = (
    await dbs.inventory.query<{ product_id: string; initial_stock: number; on_hand: number }>(
      'SELECT product_id, initial_stock, on_hand FROM stock',
    )
  ).rows;
  check(
    'stock is never negative',
    stock.filter((s) => s.on_hand < 0).map((s) => `${s.product_id} on hand ${s.on_hand}`),
  );
  const soldByOrders = new Map<string, number>();
  for (const order of orders)
    if (order.status === 'completed')
      for (const line of order.lines)
        soldByOrders.set(line.productId, (soldByOrders.get(line.productId) ?? 0) + line.quantity);
  check(
    'stock taken = quantities of completed orders, per product',
    stock
      .filter((s) => s.initial_stock - s.on_hand !== (soldByOrders.get(s.product_id) ?? 0))
      .map(
        (s) =>
          `${s.product_id}: taken ${s.initial_stock - s.on_hand}, completed orders hold ${soldByOrders.get(s.product_id) ?? 0}`,
      ),
  );
  const reservations = (
    await dbs.inventory.query<{ order_id: string; reserved: boolean }>(
      'SELECT order_id, reserved FROM reservations',
    )
  ).rows;
  check('stock is reserved exactly for the completed orders', [
    ...reservations
      .filter((r) => r.reserved && byId.get(r.order_id)?.status !== 'completed')
      .map((r) => `${r.order_id} reserved but not completed`),
    ...orders
      .filter(
        (o) => o.status === 'completed' && !reservations.some((r) => r.order_id === o.order_id && r.reserved),
      )
      .map((o) => `${o.order_id} completed without a reservation`),
  ]);

  // Payments: one per order; approved ↔ completed; refunded ↔ cancelled after payment; declined ↔ cancelled for payment.
  const payments = (
    await dbs.payments.query<{ order_id: string; status: string }>('SELECT order_id, status FROM payments')
  ).rows;
  const paymentOf = new Map(payments.map((p) => [p.order_id, p.status]));
  check(
    'every payment belongs to an order',
    payments.filter((p) => !byId.has(p.order_id)).map((p) => p.order_id),
  );
  check('every refund matches a cancelled paid order, and every cancelled paid order was refunded', [
    ...payments
      .filter((p) => p.status === 'refunded')
      .filter((p) => {
        const o = byId.get(p.order_id);
        return !(o?.status === 'cancelled' && o.cancel_reason === 'stock_unavailable' && o.payment_id);
      })
      .map(
        (p) =>
          `${p.order_id} refunded but order is ${byId.get(p.order_id)?.status}/${byId.get(p.order_id)?.cancel_reason}`,
      ),
    ...orders
      .filter(
        (o) =>
          o.status === 'cancelled' &&
          o.cancel_reason === 'stock_unavailable' &&
          paymentOf.get(o.order_id) !== 'refunded',
      )
      .map((o) => `${o.order_id} cancelled after payment but payment is ${paymentOf.get(o.order_id)}`),
  ]);
  check(
    'completed orders are paid and not refunded; payment-declined orders have a declined payment',
    orders
      .filter(
        (o) =>
          (o.status === 'completed' && paymentOf.get(o.order_id) !== 'approved') ||
          (o.status === 'cancelled' &&
            o.cancel_reason === 'payment_declined' &&
            paymentOf.get(o.order_id) !== 'declined'),
      )
      .map(
        (o) => `${o.order_id} ${o.status}/${o.cancel_reason ?? ''} has payment ${paymentOf.get(o.order_id)}`,
      ),
  );

  // Store shares (from orders.v2.OrderPlaced): every charge that went through is split over its stores exactly.
  const shareMismatches = (
    await dbs.payments.query<{ order_id: string; amount: string; shares: string | null }>(
      `SELECT p.order_id, p.amount_minor::text AS amount, (SELECT sum(s.amount_minor) FROM payment_store_shares s
         WHERE s.order_id = p.order_id)::text AS shares FROM payments p WHERE p.status <> 'declined'`,
    )
  ).rows.filter((p) => p.shares !== p.amount);
  check(
    'store shares add up to every approved charge',
    shareMismatches.map((p) => `${p.order_id}: charged ${p.amount}, shares ${p.shares ?? 'none'}`),
  );

  // Notifications: one "received" per order (orders.v1.OrderPlaced) and one per terminal order, each delivered once.
  const notifications = (
    await dbs.notifications.query<{ order_id: string; job_id: string; outcome: string }>(
      'SELECT order_id, job_id, outcome FROM notifications',
    )
  ).rows;
  const notified = new Set(notifications.filter((n) => n.outcome !== 'received').map((n) => n.order_id));
  check(
    'every terminal order was notified',
    orders
      .filter((o) => (o.status === 'completed' || o.status === 'cancelled') && !notified.has(o.order_id))
      .map((o) => o.order_id),
  );
  const received = new Set(notifications.filter((n) => n.outcome === 'received').map((n) => n.order_id));
  check(
    'every order got an "order received" notification',
    orders.filter((o) => !received.has(o.order_id)).map((o) => o.order_id),
  );
  const delivered = new Set(
    (await dbs.notifications.query<{ job_id: string }>('SELECT job_id FROM deliveries')).rows.map(
      (d) => d.job_id,
    ),
  );
  check(
    'every notification was delivered',
    notifications.filter((n) => !delivered.has(n.job_id)).map((n) => n.job_id),
  );

  // Effects once: each service produced each order event at most once (its outbox), and relayed all of it.
  for (const [service, db] of Object.entries(dbs) as [keyof SystemDbs, Queryable][]) {
    const repeated = (
      await db.query<{ type: string; subject: string; n: string }>(
        'SELECT type, subject, count(*)::text AS n FROM outbox GROUP BY type, subject HAVING count(*) > 1',
      )
    ).rows;
    check(
      `${service}: every event produced once (outbox rows per type and subject)`,
      repeated.map((r) => `${r.subject} ×${r.n}`),
    );
    const unpublished = (await db.query<{ id: string }>('SELECT id FROM outbox WHERE published_at IS NULL'))
      .rows;
    check(
      `${service}: every outbox row was published`,
      unpublished.map((r) => r.id),
    );
    const inboxRepeats = (
      await db.query<{ message_id: string; n: string }>(
        'SELECT message_id, count(*)::text AS n FROM inbox GROUP BY consumer, message_id HAVING count(*) > 1',
      )
    ).rows;
    check(
      `${service}: every consumed message applied once (inbox rows per message id)`,
      inboxRepeats.map((r) => `${r.message_id} ×${r.n}`),
    );
  }
  // Orders are event-sourced: each order's events must tell exactly the story its read-model row shows.
  const hasEventStore = (
    await dbs.orders.query<{ t: string | null }>("SELECT to_regclass('eventkit_es_events')::text AS t")
  ).rows[0]?.t;
  if (hasEventStore) {
    const histories = new Map(
      (
        await dbs.orders.query<{ aggregate_id: string; types: string; last: number; n: string }>(
          `SELECT aggregate_id, string_agg(event_type, ',' ORDER BY version) AS types, max(version) AS last, count(*)::text AS n
           FROM eventkit_es_events WHERE aggregate_type = 'Order' GROUP BY aggregate_id`,
        )
      ).rows.map((r) => [r.aggregate_id, r]),
    );
    const story = (o: (typeof orders)[number]) =>
      o.status === 'completed'
        ? 'OrderPlaced,OrderPaid,OrderCompleted'
        : o.status === 'cancelled' && o.cancel_reason === 'payment_declined'
          ? 'OrderPlaced,OrderCancelled'
          : o.status === 'cancelled'
            ? 'OrderPlaced,OrderPaid,OrderCancelled'
            : o.status === 'paid'
              ? 'OrderPlaced,OrderPaid'
              : 'OrderPlaced';
    const short = (types: string) => types.replace(/orders\.es\.v1\./g, '');
    check(
      "every order's events replay to its read-model state (event-sourced orders), versions without gaps",
      [
        ...orders
          .filter((o) => {
            const h = histories.get(o.order_id);
            return !h || short(h.types) !== story(o) || Number(h.last) !== Number(h.n);
          })
          .map(
            (o) =>
              `${o.order_id} is ${o.status} but its events are ${short(histories.get(o.order_id)?.types ?? 'none')}`,
          ),
        ...[...histories.keys()].filter((id) => !byId.has(id)).map((id) => `${id} has events but no order`),
      ],
    );
  }

  return { violations, checked };
}
