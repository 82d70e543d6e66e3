import { AsyncResource } from 'node:async_hooks';
import type { ConsumedEvent, OutboundMessage } from '../runtime/api.ts';
import type { Db, Transaction } from './db.ts';
import { countInboxDuplicate, countRedelivery, type InboxOutcome, recordInInbox } from './inbox.ts';
import { addToOutbox } from './outbox.ts';

/** What just committed; passed to `onCommit` before the relay is woken and before the caller acks. */
export interface CommitInfo {
  /** The consumer whose message was handled (`handleOnce`); absent for `commit`. */
  readonly consumer?: string;
  /** How many outbox rows the unit added. */
  readonly messages: number;
}

export interface UnitOfWorkOptions {
  /** Woken after every commit that added outbox rows (in process; LISTEN/NOTIFY covers other processes). */
  readonly relay?: { wake(): void };
  /** Called synchronously right after each unit's commit (metrics, test crash points). */
  readonly onCommit?: (commit: CommitInfo) => void;
  /** Most units committed by one transaction (group commit). Default 64; 1 turns grouping off. */
  readonly maxGroup?: number;
  /** Group transactions at once. Default 1 on PGlite (one connection), 4 on PostgreSQL. */
  readonly concurrency?: number;
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
   * A duplicate (same message id for the same consumer) changes nothing; ack it either way, after this
   * resolves (the effect is committed then).
   */
  handleOnce<T>(
    consumer: string,
    event: Pick<ConsumedEvent<T>, 'id' | 'type' | 'deliveryCount'>,
    effect: (tx: Transaction) => Promise<Outgoing>,
  ): Promise<InboxOutcome>;
}

/** One caller's work: runs on a transaction, and is told when that transaction committed or failed. */
interface Unit {
  run(tx: Transaction): Promise<void>;
  committed(): void;
  failed(error: unknown): void;
}

/**
 * Units of work with **group commit**: units that arrive while a transaction is running are queued and
 * run one after another in the next transaction, which commits them together (one BEGIN/COMMIT and, on
 * PostgreSQL, one WAL flush for many handled messages). Nobody waits for a group to fill: an idle
 * unit of work commits a lone unit at once. Each caller's promise settles only after the commit that
 * holds its unit, so a consumer acks only committed effects. When a group fails, each of its units is
 * run again in a transaction of its own, so one bad message fails alone (its effect function may thus
 * run twice, both times inside a transaction that rolled back the first time).
 */
export function createUnitOfWork(db: Db, options: UnitOfWorkOptions = {}): UnitOfWork {
  const maxGroup = Math.max(1, options.maxGroup ?? 64);
  const concurrency = Math.max(1, options.concurrency ?? (db.dialect === 'postgres' ? 4 : 1));
  const queue: Unit[] = [];
  let running = 0;

  const notify = (info: CommitInfo) => {
    options.onCommit?.(info);
    if (info.messages > 0) options.relay?.wake();
  };

  async function runGroup(units: readonly Unit[]): Promise<void> {
    try {
      await db.transaction(async (tx) => {
        for (const unit of units) await unit.run(tx);
      });
    } catch (error) {
      if (units.length === 1) {
        (units[0] as Unit).failed(error);
        return;
      }
      for (const unit of units) await runGroup([unit]);
      return;
    }
    for (const unit of units) unit.committed();
  }

  function pump(): void {
    while (running < concurrency && queue.length > 0) {
      const group = queue.splice(0, maxGroup);
      running++;
      void runGroup(group).finally(() => {
        running--;
        pump();
      });
    }
  }

  function enqueue<T>(make: (settle: { resolve(v: T): void; reject(e: unknown): void }) => Unit): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const unit = make({ resolve, reject });
      // A group runs every unit from the async context of whoever started it; each unit's effect must run
      // in its own caller's (the consumed event's scope: causation, correlation and trace of the events
      // it writes).
      queue.push({ ...unit, run: AsyncResource.bind(unit.run) });
      pump();
    });
  }

  return {
    db,
    commit<R>(fn: (tx: Transaction) => Promise<{ readonly result: R; readonly messages: Outgoing }>) {
      return enqueue<R>((settle) => {
        let result: R;
        let messages = 0;
        return {
          async run(tx) {
            const out = await fn(tx);
            result = out.result;
            messages = out.messages.length;
            if (messages > 0) await addToOutbox(tx, out.messages);
          },
          committed() {
            notify({ messages });
            settle.resolve(result);
          },
          failed: settle.reject,
        };
      });
    },
    async handleOnce(consumer, event, effect) {
      await countRedelivery(db, consumer, event.deliveryCount);
      return enqueue<InboxOutcome>((settle) => {
        let outcome: InboxOutcome = 'duplicate';
        let messages = 0;
        return {
          async run(tx) {
            messages = 0;
            outcome = await recordInInbox(tx, consumer, event);
            if (outcome === 'duplicate') return;
            const out = await effect(tx);
            messages = out.length;
            if (messages > 0) await addToOutbox(tx, out);
          },
          committed() {
            if (outcome === 'applied') notify({ consumer, messages });
            else countInboxDuplicate(consumer, event.type);
            settle.resolve(outcome);
          },
          failed: settle.reject,
        };
      });
    },
  };
}
