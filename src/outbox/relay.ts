import type { OutboundMessage, PublishReceipt } from '../runtime/api.ts';
import { instruments, MESSAGING, observeGauges } from '../runtime/telemetry.ts';
import type { Db, Queryable, Unlisten } from './db.ts';
import { OUTBOX_CHANNEL } from './outbox.ts';

/** Sends one outbound message and resolves on its PubAck (e.g. the runtime publisher's `publishEnvelope`). */
export type SendOutbound = (message: OutboundMessage) => Promise<PublishReceipt>;

export interface OutboxRelayOptions {
  /** Rows claimed per round. Default 200. */
  readonly batchSize: number;
  /** Rounds in flight at once (each publishes its batch and waits for the PubAcks). Default 4. */
  readonly window: number;
  /** Fallback: look for rows this often even when no commit woke the relay. Default 1,000 ms. */
  readonly pollMs: number;
  /** Pause after a failed round (broker down) before trying again. Default 500 ms. */
  readonly retryMs: number;
  /** Wake on the outbox trigger's notifications (`LISTEN`), so commits in other processes wake it too. Default true. */
  readonly listen: boolean;
  /** Called when a round fails; the relay keeps going. */
  readonly onError: (error: unknown) => void;
  /** Names this outbox in metrics (`eventkit.outbox.name`: backlog, commit-to-PubAck). Default the db schema. */
  readonly name: string;
}

export interface OutboxRelayStats {
  published: number;
  rounds: number;
  failedRounds: number;
  /** Rounds publishing right now (at most `window`). */
  inFlight: number;
  /** The last failed round's error message (cleared by the next round that publishes). */
  lastError?: string;
}

export interface OutboxRelay {
  /** Publish what is pending now (the unit of work calls it after a commit that wrote outbox rows). */
  wake(): void;
  /** One round: claim, publish, mark. Returns how many rows were published. */
  relayOnce(): Promise<number>;
  /** Stops the loop: no new rounds; resolves when the rounds in flight are done. */
  stop(): Promise<void>;
  /** Stops, then publishes everything still pending (graceful shutdown). Returns how many rows it published. */
  drain(): Promise<number>;
  /** Resolves once the relay listens for commit notifications (false: `listen` off or it failed; it polls). */
  readonly listening: Promise<boolean>;
  readonly stats: Readonly<OutboxRelayStats>;
}

interface OutboxRow {
  seq: string;
  id: string;
  subject: string;
  type: string;
  headers: Record<string, string> | string;
  data: Uint8Array;
  /** How old the row was when claimed, by the database's clock (no skew with this process's clock). */
  age_ms: number;
}

// `created_at`: when the row was inserted (addToOutbox), moments before its transaction commits.
const COLUMNS =
  'seq::text AS seq, id, subject, type, headers, data, (extract(epoch FROM clock_timestamp() - created_at) * 1000)::float8 AS age_ms';

/**
 * Publishes outbox rows and marks each row only after its PubAck. The message id is the row's `ce-id`,
 * sent as `Nats-Msg-Id`, so a row published twice (crash between PubAck and mark) is dropped by
 * JetStream's duplicate window.
 *
 * Woken on commit: in process by `wake()`, and through `LISTEN eventkit_outbox` (the outbox insert
 * trigger's NOTIFY) from any process; it polls only as a fallback. Up to `window` rounds run at once.
 *
 * On PostgreSQL each round is a transaction that claims rows with `FOR UPDATE SKIP LOCKED`, so rounds
 * and relays (several instances of a service) never publish the same row at the same time. PGlite has
 * one connection and one relay per data directory: a transaction there would block the service's
 * handlers for the length of the publish, so rounds claim with a plain read that skips the rows in flight.
 */
export function startOutboxRelay(
  db: Db,
  send: SendOutbound,
  options: Partial<OutboxRelayOptions> = {},
): OutboxRelay {
  const opts: OutboxRelayOptions = {
    batchSize: 200,
    window: 4,
    pollMs: 1_000,
    retryMs: 500,
    listen: true,
    onError: () => {},
    name: db.schema,
    ...options,
  };
  const metricAttributes = { [MESSAGING.outbox]: opts.name };
  // Rows committed and not yet published, read only while an OpenTelemetry SDK collects metrics.
  const unobserve = observeGauges(`outbox ${db.location} ${db.schema}`, async () => {
    const { rows } = await db.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM outbox WHERE published_at IS NULL',
    );
    return [['backlog', Number(rows[0]?.n ?? 0), metricAttributes]];
  });
  const stats: OutboxRelayStats = { published: 0, rounds: 0, failedRounds: 0, inFlight: 0 };
  let stopped = false;
  let pending = true; // rows may be waiting from before this start
  let inFlight = 0;
  let backingOff = false;
  const rounds = new Set<Promise<unknown>>();
  // PGlite: seqs handed to rounds still in flight; claims skip them, so no two rounds take the same row.
  const claimed = new Set<string>();
  let claiming: Promise<void> = Promise.resolve();

  async function publishRows(tx: Queryable, rows: OutboxRow[]): Promise<number> {
    // Pipelined on one connection: the server assigns sequences in send order.
    const claimedAt = Date.now();
    const latency = instruments().outboxLatency;
    const results = await Promise.allSettled(
      rows.map((row) =>
        send(toMessage(row)).then((receipt) => {
          latency.record((Number(row.age_ms) + Date.now() - claimedAt) / 1000, metricAttributes);
          return receipt;
        }),
      ),
    );
    const seqs: string[] = [];
    const streamSeqs: string[] = [];
    const duplicates: string[] = [];
    let firstError: unknown;
    for (const [i, result] of results.entries()) {
      const row = rows[i] as OutboxRow;
      if (result.status === 'fulfilled') {
        seqs.push(row.seq);
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
    stats.rounds++;
    if (db.dialect === 'postgres') {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<OutboxRow>(
          `SELECT ${COLUMNS} FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [opts.batchSize],
        );
        return rows.length === 0 ? 0 : publishRows(tx, rows);
      });
    }
    // Claims run one at a time and skip the rows other rounds still have in flight. No read cursor: a
    // cursor moved forward by a claim that was already reading when another round failed would skip that
    // round's rows until the next failure — after a burst of failures (a leader election) they stayed
    // unpublished for good.
    const claim = claiming.then(() =>
      db.query<OutboxRow>(
        `SELECT ${COLUMNS} FROM outbox WHERE published_at IS NULL AND seq <> ALL($1::bigint[]) ORDER BY seq LIMIT $2`,
        [[...claimed], opts.batchSize],
      ),
    );
    claiming = claim.then(
      ({ rows }) => {
        for (const row of rows) claimed.add(row.seq);
      },
      () => undefined,
    );
    const { rows } = await claim;
    if (rows.length === 0) return 0;
    try {
      return await publishRows(db, rows);
    } finally {
      // Published rows are marked; the others go out in a later round.
      for (const row of rows) claimed.delete(row.seq);
    }
  }

  function pump(): void {
    while (!stopped && pending && !backingOff && inFlight < opts.window) {
      pending = false;
      inFlight++;
      stats.inFlight = inFlight;
      const round = relayOnce().then(
        (published) => {
          if (published > 0) delete stats.lastError;
          // A full batch means more is waiting.
          if (published === opts.batchSize) pending = true;
        },
        (error: unknown) => {
          stats.failedRounds++;
          stats.lastError = error instanceof Error ? error.message : String(error);
          opts.onError(error);
          pending = true;
          backingOff = true;
          setTimeout(() => {
            backingOff = false;
            pump();
          }, opts.retryMs).unref();
        },
      );
      rounds.add(round);
      void round.finally(() => {
        rounds.delete(round);
        inFlight--;
        stats.inFlight = inFlight;
        pump();
      });
    }
  }

  function wake(): void {
    pending = true;
    pump();
  }

  const poll = setInterval(wake, opts.pollMs);
  poll.unref();
  let unlisten: Promise<Unlisten | undefined> = Promise.resolve(undefined);
  if (opts.listen)
    unlisten = db
      .listen(OUTBOX_CHANNEL, (schema) => {
        if (schema === db.schema) wake();
      })
      .catch((error: unknown) => {
        // Without notifications the relay still runs: in-process wakes and the poll.
        opts.onError(error);
        return undefined;
      });
  pump();

  async function stop(): Promise<void> {
    stopped = true;
    unobserve();
    clearInterval(poll);
    await (await unlisten)?.().catch(() => {});
    while (rounds.size > 0) await Promise.allSettled([...rounds]);
  }

  return {
    stats,
    listening: unlisten.then((u) => u !== undefined),
    relayOnce,
    wake,
    stop,
    async drain() {
      await stop();
      let total = 0;
      for (;;) {
        const published = await relayOnce();
        total += published;
        if (published < opts.batchSize) return total;
      }
    },
  };
}

function toMessage(row: OutboxRow): OutboundMessage {
  const headers =
    typeof row.headers === 'string' ? (JSON.parse(row.headers) as Record<string, string>) : row.headers;
  return { id: row.id, subject: row.subject, type: row.type, headers, data: new Uint8Array(row.data) };
}
