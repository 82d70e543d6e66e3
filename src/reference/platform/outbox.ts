import type { OutboundMessage } from '../../runtime/api.ts';
import type { Queryable } from '../db/index.ts';

// Transactional outbox: services never publish directly. They add the message to the `outbox` table
// in the same transaction as their state change; the relay (outbox-relay.ts) publishes it later.
// The table is created by each service's first migration (see orders/migrations/001_init.sql).

/** Adds messages to the outbox inside the caller's transaction. */
export async function addToOutbox(tx: Queryable, messages: readonly OutboundMessage[]): Promise<void> {
  for (const message of messages) {
    await tx.query(
      'INSERT INTO outbox (id, subject, type, headers, data) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING',
      [message.id, message.subject, message.type, JSON.stringify(message.headers), message.data],
    );
  }
}
