// Projections: a read model fed from the event store — catch up from its checkpoint, then follow live.
// Idempotent by position: a batch and its checkpoint are stored together (one SQL transaction for SQL read
// models), and events at or below the checkpoint are never handed over again. Rebuild = reset + replay.
import type { Db, Queryable } from '../outbox/db.ts';
import type { EventStore, RecordedEvent } from './types.ts';

export interface ProjectionOptions {
  readonly store: EventStore;
  readonly aggregateType: string;
  /** Unique name of the read model (its checkpoint row). */
  readonly name: string;
  /** Where the read model and its checkpoint live. */
  readonly db: Db;
  /** Applies a batch to the read model inside `tx` (the checkpoint is written in the same transaction). */
  handle(tx: Queryable, events: readonly RecordedEvent[]): Promise<void>;
  /** Empties the read model inside `tx` (for `rebuild`). */
  reset?(tx: Queryable): Promise<void>;
  /** Events per batch. Default 500. */
  readonly batchSize?: number;
  /** How often to look for new events when not woken. Default 200 ms. */
  readonly pollMs?: number;
  /** A batch that failed while following live (it is retried at the next poll). Default: ignored. */
  onError?(error: unknown): void;
}

export interface Projection {
  /** Applies everything up to the store's head now; resolves with the checkpoint reached. */
  catchUp(): Promise<number>;
  /** Keeps following new events until `stop()`. */
  start(): void;
  /** Look for new events now (e.g. right after an append in this process). */
  wake(): void;
  /** Empties the read model and replays the whole log. */
  rebuild(): Promise<number>;
  checkpoint(): Promise<number>;
  stop(): Promise<void>;
}

const CHECKPOINTS_SQL = `CREATE TABLE IF NOT EXISTS eventkit_es_projections (
  name text PRIMARY KEY,
  position bigint NOT NULL
)`;

export async function createProjection(options: ProjectionOptions): Promise<Projection> {
  const { store, aggregateType, name, db } = options;
  await db.exec(CHECKPOINTS_SQL);
  const batchSize = options.batchSize ?? 500;
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let busy: Promise<number> = Promise.resolve(0);

  const checkpoint = async (tx: Queryable = db): Promise<number> => {
    const r = await tx.query<{ position: string | number }>(
      'SELECT position FROM eventkit_es_projections WHERE name = $1',
      [name],
    );
    return Number(r.rows[0]?.position ?? 0);
  };

  const applyBatch = async (): Promise<boolean> => {
    const from = await checkpoint();
    const events = await store.read(aggregateType, { after: from, limit: batchSize });
    if (events.length === 0) return false;
    await db.transaction(async (tx) => {
      // Re-read inside the transaction: another runner may have applied this batch meanwhile.
      const at = await checkpoint(tx);
      const fresh = events.filter((e) => e.position > at);
      if (fresh.length === 0) return;
      await options.handle(tx, fresh);
      await tx.query(
        `INSERT INTO eventkit_es_projections (name, position) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET position = GREATEST(eventkit_es_projections.position, EXCLUDED.position)`,
        [name, fresh.at(-1)?.position ?? at],
      );
    });
    return true;
  };

  // One batch runner at a time in this process.
  const serial = (fn: () => Promise<number>): Promise<number> => {
    const next = busy.then(fn, fn);
    busy = next.catch(() => 0);
    return next;
  };

  const catchUp = () =>
    serial(async () => {
      while (await applyBatch()) {}
      return checkpoint();
    });

  return {
    catchUp,
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          try {
            await catchUp();
          } catch (error) {
            options.onError?.(error);
          }
          if (!running) break;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, options.pollMs ?? 200);
            wakeUp = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wakeUp = undefined;
        }
      })();
    },
    wake() {
      wakeUp?.();
    },
    rebuild: () =>
      serial(async () => {
        await db.transaction(async (tx) => {
          await options.reset?.(tx);
          await tx.query('DELETE FROM eventkit_es_projections WHERE name = $1', [name]);
        });
        while (await applyBatch()) {}
        return checkpoint();
      }),
    checkpoint: () => checkpoint(),
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
    },
  };
}
