// The PGlite relay's claims: a round that fails while another round's claim is still reading must not
// lose its rows. Replayed deterministically: round B's claim query is held until round A has failed; then
// the failed row must still go out (it once stayed unpublished for good: the claim moved a read cursor
// past it after A's failure had reset it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addToOutbox, type Db, migrateOutbox, openPgliteDb, startOutboxRelay } from 'eventkit/outbox';
import { afterAll, expect, it } from 'vitest';
import type { OutboundMessage, PublishReceipt } from '../../src/runtime/api.ts';

const dir = mkdtempSync(join(tmpdir(), 'eventkit-relay-claims-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const message = (n: number): OutboundMessage => ({
  id: `evt_${n}`,
  subject: `claims.thing.${n}`,
  type: 'claims.v1.Thing',
  headers: { 'ce-id': `evt_${n}` },
  data: new Uint8Array([n]),
});

/** The database, with the relay's second claim held until `release()`. */
function holdingSecondClaim(db: Db): { db: Db; release: () => void; secondClaimStarted: Promise<void> } {
  let claims = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let started!: () => void;
  const secondClaimStarted = new Promise<void>((resolve) => {
    started = resolve;
  });
  const query = async <R>(sql: string, params?: Parameters<Db['query']>[1]) => {
    const isClaim = /^\s*SELECT .* FROM outbox WHERE published_at IS NULL/s.test(sql);
    if (isClaim && ++claims === 2) {
      const result = db.query<R>(sql, params); // parameters bound now, answer held
      started();
      await released;
      return result;
    }
    return db.query<R>(sql, params);
  };
  return { db: Object.assign(Object.create(db) as Db, { query }), release, secondClaimStarted };
}

it('a row whose round failed while another claim was reading is published once the failures stop', async () => {
  const db = await openPgliteDb(mkdtempSync(join(dir, 'db-')));
  try {
    await migrateOutbox(db);
    await db.transaction(async (tx) => {
      await addToOutbox(tx, [1, 2, 3, 4].map(message));
    });
    const held = holdingSecondClaim(db);
    const published = new Map<string, number>();
    let failFirst = true;
    const send = async (msg: OutboundMessage): Promise<PublishReceipt> => {
      if (msg.id === 'evt_1' && failFirst) {
        failFirst = false;
        await held.secondClaimStarted; // A fails while B's claim is reading
        throw new Error('PubAck timeout (leader election)');
      }
      published.set(msg.id, (published.get(msg.id) ?? 0) + 1);
      return { id: msg.id, subject: msg.subject, stream: 'CLAIMS', seq: published.size, duplicate: false };
    };
    const relay = startOutboxRelay(held.db, send, {
      batchSize: 2,
      window: 2,
      pollMs: 50,
      retryMs: 20,
      listen: false,
    });
    try {
      // Round A (rows 1–2) fails on row 1 only after round B's claim has read rows 3–4 with its parameters.
      await new Promise((resolve) => setTimeout(resolve, 100));
      held.release();
      const deadline = Date.now() + 10_000;
      while (published.size < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect([...published.keys()].sort()).toEqual(['evt_1', 'evt_2', 'evt_3', 'evt_4']);
      expect(relay.stats.failedRounds).toBe(1);
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
      );
      expect(rows[0]?.n).toBe(0);
    } finally {
      await relay.stop();
    }
  } finally {
    await db.close();
  }
});
