import type { ConsumedEvent, OutboundMessage } from '../runtime/api.ts';
import type { Db, Transaction } from './db.ts';
import { handleOnce, type InboxOutcome } from './inbox.ts';
import { addToOutbox } from './outbox.ts';

/** What just committed; passed to `onCommit` before the relay is woken and before the caller acks. */
export interface CommitInfo {
  /** The consumer whose message was handled (`handleOnce`); absent for `commit`. */
  readonly consumer?: string;
  /** How many outbox rows the transaction added. */
  readonly messages: number;
}

export interface UnitOfWorkOptions {
  /** Woken after every commit that added outbox rows (in process; LISTEN/NOTIFY covers other processes). */
  readonly relay?: { wake(): void };
  /** Called synchronously right after each commit (metrics, test crash points). */
  readonly onCommit?: (commit: CommitInfo) => void;
}

/** What a handler's effect returns: the state change is done on `tx`; these messages go to the outbox. */
export type Outgoing = readonly OutboundMessage[];

export interface UnitOfWork {
  readonly db: Db;
  /**
   * State change + outgoing messages in one transaction (the transactional outbox). `fn` returns its
   * result and the messages to publish; they are published by the relay after the commit.
   */
  commit<R>(
    fn: (tx: Transaction) => Promise<{ readonly result: R; readonly messages: Outgoing }>,
  ): Promise<R>;
  /**
   * Handles one consumed message exactly once: inbox record + effect + outbox rows in one transaction.
   * A duplicate (same message id for the same consumer) changes nothing; ack it either way.
   */
  handleOnce<T>(
    consumer: string,
    event: Pick<ConsumedEvent<T>, 'id' | 'type' | 'deliveryCount'>,
    effect: (tx: Transaction) => Promise<Outgoing>,
  ): Promise<InboxOutcome>;
}

export function createUnitOfWork(db: Db, options: UnitOfWorkOptions = {}): UnitOfWork {
  const committed = (info: CommitInfo) => {
    options.onCommit?.(info);
    if (info.messages > 0) options.relay?.wake();
  };
  return {
    db,
    async commit(fn) {
      let messages = 0;
      const result = await db.transaction(async (tx) => {
        const out = await fn(tx);
        messages = out.messages.length;
        if (messages > 0) await addToOutbox(tx, out.messages);
        return out.result;
      });
      committed({ messages });
      return result;
    },
    async handleOnce(consumer, event, effect) {
      let messages = 0;
      const outcome = await handleOnce(db, consumer, event, async (tx) => {
        const out = await effect(tx);
        messages = out.length;
        if (messages > 0) await addToOutbox(tx, out);
      });
      if (outcome === 'applied') committed({ consumer, messages });
      return outcome;
    },
  };
}
