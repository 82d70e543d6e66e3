import type { ConsumedEvent } from '../runtime/api.ts';
import { instruments, MESSAGING } from '../runtime/telemetry.ts';
import type { Db, Queryable, Transaction } from './db.ts';

// Idempotent inbox: the consumed message's id is recorded in the same transaction as the handler's
// effect, so a redelivery (crash before ack, duplicate publish) finds the id and changes nothing.

// Tables `inbox` and `delivery_stats` come from migrateOutbox().

export type InboxOutcome = 'applied' | 'duplicate';

/** Counts a redelivery (delivery count > 1) for the consumer; outside the effect's transaction, so failed attempts count too. */
export async function countRedelivery(db: Queryable, consumer: string, deliveryCount: number): Promise<void> {
  if (deliveryCount <= 1) return;
  await db.query(
    `INSERT INTO delivery_stats (consumer, redeliveries) VALUES ($1, 1)
     ON CONFLICT (consumer) DO UPDATE SET redeliveries = delivery_stats.redeliveries + 1`,
    [consumer],
  );
}

/**
 * Records the message in the inbox inside the caller's transaction: 'applied' when it is new (run the
 * effect in the same transaction), 'duplicate' when it was seen before (counted; run nothing).
 */
export async function recordInInbox(
  tx: Queryable,
  consumer: string,
  event: Pick<ConsumedEvent<unknown>, 'id' | 'type'>,
): Promise<InboxOutcome> {
  const inserted = await tx.query(
    'INSERT INTO inbox (message_id, consumer, type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING message_id',
    [event.id, consumer, event.type],
  );
  if (inserted.rows.length > 0) return 'applied';
  await tx.query('UPDATE inbox SET duplicates = duplicates + 1 WHERE consumer = $1 AND message_id = $2', [
    consumer,
    event.id,
  ]);
  return 'duplicate';
}

/** The duplicates metric, counted once its transaction committed (a rolled-back group is run again). */
export function countInboxDuplicate(consumer: string, type: string): void {
  instruments().inboxDuplicates.add(1, {
    [MESSAGING.system]: 'nats',
    [MESSAGING.consumerGroup]: consumer,
    [MESSAGING.eventType]: type,
  });
}

/**
 * Runs `effect` once per (consumer, message id): records the id and runs the effect in one transaction.
 * A message already recorded is counted as a duplicate and skipped; the caller then acks it.
 */
export async function handleOnce<T>(
  db: Db,
  consumer: string,
  event: Pick<ConsumedEvent<T>, 'id' | 'type' | 'deliveryCount'>,
  effect: (tx: Transaction) => Promise<void>,
): Promise<InboxOutcome> {
  await countRedelivery(db, consumer, event.deliveryCount);
  const outcome = await db.transaction(async (tx): Promise<InboxOutcome> => {
    const outcome = await recordInInbox(tx, consumer, event);
    if (outcome === 'applied') await effect(tx);
    return outcome;
  });
  if (outcome === 'duplicate') countInboxDuplicate(consumer, event.type);
  return outcome;
}

export interface InboxStats {
  readonly received: number;
  readonly duplicates: number;
  readonly redeliveries: number;
}

export async function inboxStats(db: Queryable): Promise<InboxStats> {
  const inbox = await db.query<{ received: string; duplicates: string | null }>(
    'SELECT count(*)::text AS received, sum(duplicates)::text AS duplicates FROM inbox',
  );
  const stats = await db.query<{ redeliveries: string | null }>(
    'SELECT sum(redeliveries)::text AS redeliveries FROM delivery_stats',
  );
  return {
    received: Number(inbox.rows[0]?.received ?? 0),
    duplicates: Number(inbox.rows[0]?.duplicates ?? 0),
    redeliveries: Number(stats.rows[0]?.redeliveries ?? 0),
  };
}
