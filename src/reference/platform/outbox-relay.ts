import type { OutboundMessage, PublishReceipt } from '../../runtime/api.ts';
import type { Db, Queryable } from '../db/index.ts';

/** Sends one outbound message and resolves on its PubAck (the runtime transport's raw publish). */
export type SendOutbound = (message: OutboundMessage) => Promise<PublishReceipt>;

export interface OutboxRelayOptions {
  /** Rows claimed per round. */
  readonly batchSize: number;
  /** How often to look for rows when nobody called `wake()`. */
  readonly pollMs: number;
  /** Pause after a failed publish (broker down) before trying again. */
  readonly retryMs: number;
  /** Called when a round fails; the relay keeps going. */
  readonly onError: (error: unknown) => void;
}

export interface OutboxRelay {
  /** Publish what is pending soon (called after a transaction that wrote to the outbox commits). */
  wake(): void;
  /** One round: claim, publish, mark. Returns how many rows were published. */
  relayOnce(): Promise<number>;
  /** Stops the loop after the round in flight. */
  stop(): Promise<void>;
  readonly stats: { published: number; failedRounds: number };
}

interface OutboxRow {
  seq: string;
  id: string;
  subject: string;
  type: string;
  headers: Record<string, string> | string;
  data: Uint8Array;
}

/**
 * Publishes outbox rows in order and marks each row only after its PubAck. The message id is the
 * row's `ce-id`, sent as `Nats-Msg-Id`, so a row published twice (crash between PubAck and mark) is
 * dropped by JetStream's duplicate window.
 *
 * On PostgreSQL the round runs in a transaction with `FOR UPDATE SKIP LOCKED`, so several relays
 * (several instances of a service) never publish the same row at the same time. PGlite has one
 * connection and one relay per data directory, and a transaction there would block the service's
 * handlers for the length of the publish, so the claim is a plain read.
 */
export function startOutboxRelay(
  db: Db,
  send: SendOutbound,
  options: Partial<OutboxRelayOptions> = {},
): OutboxRelay {
  const opts: OutboxRelayOptions = {
    batchSize: 200,
    pollMs: 250,
    retryMs: 500,
    onError: () => {},
    ...options,
  };
  const stats = { published: 0, failedRounds: 0 };
  let stopped = false;
  let wakeUp: (() => void) | undefined;
  let woken = false;

  async function publishRows(tx: Queryable, rows: OutboxRow[]): Promise<number> {
    // Pipelined on one connection: the server assigns sequences in send order.
    const results = await Promise.allSettled(rows.map((row) => send(toMessage(row))));
    const seqs: string[] = [];
    const streamSeqs: string[] = [];
    const duplicates: string[] = [];
    let firstError: unknown;
    for (const [i, result] of results.entries()) {
      const row = rows[i] as OutboxRow;
      if (result.status === 'fulfilled') {
        seqs.push(String(row.seq));
        streamSeqs.push(String(result.value.seq ?? ''));
        duplicates.push(String(result.value.duplicate));
      } else {
        firstError ??= result.reason;
      }
    }
    // One statement marks the whole batch (only rows that got their PubAck).
    if (seqs.length > 0)
      await tx.query(
        `UPDATE outbox SET published_at = now(), stream_seq = NULLIF(m.stream_seq, '')::bigint, duplicate = m.duplicate::boolean
         FROM unnest($1::text[], $2::text[], $3::text[]) AS m(seq, stream_seq, duplicate)
         WHERE outbox.seq = m.seq::bigint`,
        [seqs, streamSeqs, duplicates],
      );
    stats.published += seqs.length;
    if (firstError !== undefined) throw firstError;
    return seqs.length;
  }

  async function relayOnce(): Promise<number> {
    if (db.dialect === 'postgres') {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<OutboxRow>(
          'SELECT seq, id, subject, type, headers, data FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED',
          [opts.batchSize],
        );
        return rows.length === 0 ? 0 : publishRows(tx, rows);
      });
    }
    const { rows } = await db.query<OutboxRow>(
      'SELECT seq, id, subject, type, headers, data FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1',
      [opts.batchSize],
    );
    return rows.length === 0 ? 0 : publishRows(db, rows);
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken) {
        woken = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  const loop = (async () => {
    while (!stopped) {
      let published = 0;
      try {
        published = await relayOnce();
      } catch (error) {
        stats.failedRounds++;
        opts.onError(error);
        await sleep(opts.retryMs);
        continue;
      }
      // A full batch means more is waiting: go again at once.
      if (published < opts.batchSize) await sleep(opts.pollMs);
    }
  })();

  return {
    stats,
    relayOnce,
    wake() {
      if (wakeUp) wakeUp();
      else woken = true;
    },
    async stop() {
      stopped = true;
      wakeUp?.();
      await loop;
    },
  };
}

function toMessage(row: OutboxRow): OutboundMessage {
  const headers =
    typeof row.headers === 'string' ? (JSON.parse(row.headers) as Record<string, string>) : row.headers;
  return { id: row.id, subject: row.subject, type: row.type, headers, data: new Uint8Array(row.data) };
}
