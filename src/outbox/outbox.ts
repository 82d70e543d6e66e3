import type { OutboundMessage } from '../runtime/api.ts';
import type { Queryable } from './db.ts';

// Transactional outbox: a service never publishes directly. It adds the message to the `outbox` table in
// the same transaction as its state change; the relay (relay.ts) publishes it after the commit. The
// table comes from migrateOutbox(); its insert trigger notifies waiting relays when the transaction commits.

/** Adds messages to the outbox inside the caller's transaction (a message id already there is skipped). */
export async function addToOutbox(tx: Queryable, messages: readonly OutboundMessage[]): Promise<void> {
  for (const message of messages) {
    await tx.query(
      // created_at = the insert's own time, not now() (the transaction's start): with group commit a
      // transaction runs many units, and commit-to-PubAck latency is measured from here.
      'INSERT INTO outbox (id, subject, type, headers, data, created_at) VALUES ($1, $2, $3, $4, $5, clock_timestamp()) ON CONFLICT (id) DO NOTHING',
      [message.id, message.subject, message.type, JSON.stringify(message.headers), message.data],
    );
  }
}

/** The channel of the outbox insert trigger (migrations/003_outbox_notify.sql); the payload is the schema. */
export const OUTBOX_CHANNEL = 'eventkit_outbox';
