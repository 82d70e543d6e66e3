import type { ConsumedEvent, OutboundMessage } from '../../runtime/api.ts';
import type { Db, Queryable } from '../db/index.ts';
import type { FaultHooks } from './fault-hooks.ts';
import { handleOnce, type InboxOutcome } from './inbox.ts';
import { addToOutbox } from './outbox.ts';
import type { OutboxRelay } from './outbox-relay.ts';

/** What every service's handlers need to change state and emit events safely. */
export interface ServiceKit {
  readonly service: string;
  readonly db: Db;
  readonly relay: OutboxRelay;
  readonly faults: FaultHooks;
}

/**
 * State change + outgoing events in one transaction (the transactional outbox). `fn` returns its
 * result and the messages to publish; they are relayed after the commit.
 */
export async function commitWithOutbox<R>(
  kit: ServiceKit,
  fn: (tx: Queryable) => Promise<{ readonly result: R; readonly messages: readonly OutboundMessage[] }>,
): Promise<R> {
  let wrote = false;
  const result = await kit.db.transaction(async (tx) => {
    const { result, messages } = await fn(tx);
    if (messages.length > 0) {
      await addToOutbox(tx, messages);
      wrote = true;
    }
    return result;
  });
  if (wrote) {
    kit.faults.afterOutboxCommit(kit.service);
    kit.relay.wake();
  }
  return result;
}

/**
 * Handles one consumed event exactly once: inbox record + effect + outbox rows in one transaction.
 * A duplicate (same message id, same consumer) changes nothing and is acked by the caller.
 */
export async function handleEventOnce<T>(
  kit: ServiceKit,
  consumer: string,
  event: ConsumedEvent<T>,
  effect: (tx: Queryable) => Promise<readonly OutboundMessage[]>,
): Promise<InboxOutcome> {
  let wrote = false;
  const outcome = await handleOnce(kit.db, consumer, event, async (tx) => {
    const messages = await effect(tx);
    if (messages.length > 0) {
      await addToOutbox(tx, messages);
      wrote = true;
    }
  });
  if (outcome === 'applied') {
    if (wrote) kit.faults.afterOutboxCommit(kit.service);
    kit.faults.afterEffectCommit(consumer);
    if (wrote) kit.relay.wake();
  }
  return outcome;
}
