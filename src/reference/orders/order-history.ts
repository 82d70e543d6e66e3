// Orders' order history: a read model projected from the Order aggregates' events (one row per event), kept
// by eventkit/eventstore's projection runner — caught up on start, then live; rebuilt by replaying the store.

import { createProjection, createRepository, type Projection, type SqlEventStore } from 'eventkit/eventstore';
import type { Db } from 'eventkit/outbox';
import { fromTimestamp } from '../platform/proto-values.ts';
import { ORDER_AGGREGATE, orderAggregate } from './order-events.ts';

const TABLE_SQL = `CREATE TABLE IF NOT EXISTS order_history (
  order_id text NOT NULL,
  version integer NOT NULL,
  event text NOT NULL,
  at timestamptz NOT NULL,
  detail text NOT NULL DEFAULT '',
  PRIMARY KEY (order_id, version)
)`;

export interface OrderHistoryEntry {
  readonly version: number;
  readonly event: string;
  readonly at: Date;
  readonly detail: string;
}

export async function createOrderHistory(db: Db, store: SqlEventStore): Promise<Projection> {
  await db.exec(TABLE_SQL);
  const orders = createRepository(store, orderAggregate());
  return createProjection({
    store,
    aggregateType: ORDER_AGGREGATE,
    name: 'orders.order-history',
    db,
    async handle(tx, events) {
      for (const recorded of events) {
        const event = orders.decode(recorded);
        const detail =
          event.type === 'orders.es.v1.OrderPaid'
            ? event.value.paymentId
            : event.type === 'orders.es.v1.OrderCancelled'
              ? event.value.reason
              : '';
        await tx.query(
          'INSERT INTO order_history (order_id, version, event, at, detail) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
          [
            recorded.aggregateId,
            recorded.version,
            event.type.split('.').at(-1) ?? event.type,
            fromTimestamp(event.value.at),
            detail,
          ],
        );
      }
    },
    reset: async (tx) => {
      await tx.query('DELETE FROM order_history');
    },
  });
}

export async function orderHistory(db: Db, orderId: string): Promise<OrderHistoryEntry[]> {
  const { rows } = await db.query<{ version: number; event: string; at: Date | string; detail: string }>(
    'SELECT version, event, at, detail FROM order_history WHERE order_id = $1 ORDER BY version',
    [orderId],
  );
  return rows.map((r) => ({
    version: Number(r.version),
    event: r.event,
    at: new Date(r.at),
    detail: r.detail,
  }));
}
