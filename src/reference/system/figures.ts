// The demo's end-of-run figures, read from the services' databases (committed facts, not counters that
// a crashed process would lose).
import type { Queryable } from 'eventkit/outbox';
import { inboxStats } from 'eventkit/outbox';
import type { SystemDbs } from './invariants.ts';

export interface SagaFigures {
  readonly orders: number;
  readonly completed: number;
  readonly cancelled: number;
  readonly cancelledPaymentDeclined: number;
  readonly cancelledOutOfStock: number;
  readonly refunded: number;
  readonly eventsPublished: number;
  /** Messages the services' inboxes applied (one per consumer and message; duplicates not included). */
  readonly eventsConsumed: number;
  /** Inbox hits (redelivered or re-published messages whose effect was already applied). */
  readonly duplicatesDropped: number;
  /** Outbox publishes JetStream dropped as duplicate Nats-Msg-Id (a relay re-sent after a crash). */
  readonly duplicatePublishes: number;
  readonly redeliveries: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencyMaxMs: number;
  /** From the first order placed to the last order finished. */
  readonly sagaWindowMs: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

async function outboxFigures(db: Queryable): Promise<{ published: number; duplicates: number }> {
  const { rows } = await db.query<{ published: string; duplicates: string }>(
    `SELECT count(*) FILTER (WHERE published_at IS NOT NULL)::text AS published,
            count(*) FILTER (WHERE duplicate)::text AS duplicates FROM outbox`,
  );
  return { published: Number(rows[0]?.published ?? 0), duplicates: Number(rows[0]?.duplicates ?? 0) };
}

export async function collectFigures(dbs: SystemDbs): Promise<SagaFigures> {
  const orders = (
    await dbs.orders.query<{
      status: string;
      cancel_reason: string | null;
      placed_at: Date | string;
      updated_at: Date | string;
    }>('SELECT status, cancel_reason, placed_at, updated_at FROM orders')
  ).rows;
  const terminal = orders.filter((o) => o.status === 'completed' || o.status === 'cancelled');
  const latencies = terminal
    .map((o) => new Date(o.updated_at).getTime() - new Date(o.placed_at).getTime())
    .sort((a, b) => a - b);
  const first = Math.min(...orders.map((o) => new Date(o.placed_at).getTime()));
  const last = Math.max(...terminal.map((o) => new Date(o.updated_at).getTime()));
  const refunded = (
    await dbs.payments.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM payments WHERE status = 'refunded'",
    )
  ).rows[0];
  let eventsPublished = 0;
  let duplicatePublishes = 0;
  let duplicatesDropped = 0;
  let eventsConsumed = 0;
  let redeliveries = 0;
  for (const db of Object.values(dbs) as Queryable[]) {
    const outbox = await outboxFigures(db);
    eventsPublished += outbox.published;
    duplicatePublishes += outbox.duplicates;
    const inbox = await inboxStats(db);
    duplicatesDropped += inbox.duplicates;
    eventsConsumed += inbox.received;
    redeliveries += inbox.redeliveries;
  }
  return {
    orders: orders.length,
    completed: orders.filter((o) => o.status === 'completed').length,
    cancelled: orders.filter((o) => o.status === 'cancelled').length,
    cancelledPaymentDeclined: orders.filter((o) => o.cancel_reason === 'payment_declined').length,
    cancelledOutOfStock: orders.filter((o) => o.cancel_reason === 'stock_unavailable').length,
    refunded: Number(refunded?.n ?? 0),
    eventsPublished,
    eventsConsumed,
    duplicatesDropped,
    duplicatePublishes,
    redeliveries,
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    latencyMaxMs: latencies.at(-1) ?? 0,
    sagaWindowMs: terminal.length > 0 ? last - first : 0,
  };
}
