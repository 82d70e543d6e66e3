// The event store conformance suite: every backend (JetStream, PGlite, PostgreSQL) runs exactly these tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConcurrencyError,
  type EventStore,
  isConcurrencyError,
  type NewEvent,
} from '../../src/eventstore/index.ts';

export interface StoreHarness {
  /** A fresh, empty store. */
  open(): Promise<EventStore>;
  /** A second store on the same data (another process/connection), for concurrency. */
  openAnother(): Promise<EventStore>;
  close(): Promise<void>;
}

const text = new TextEncoder();
const untext = new TextDecoder();
const ev = (type: string, body: string, metadata?: Record<string, string>): NewEvent => ({
  type,
  data: text.encode(body),
  ...(metadata ? { metadata } : {}),
});
const bodies = (events: readonly { data: Uint8Array }[]) => events.map((e) => untext.decode(e.data));

let idCounter = 0;
const freshId = (prefix = 'agg') => `${prefix}-${Date.now().toString(36)}-${++idCounter}`;

export function eventStoreConformance(name: string, harness: () => Promise<StoreHarness>): void {
  describe(`event store conformance: ${name}`, () => {
    let h: StoreHarness;
    let store: EventStore;
    beforeAll(async () => {
      h = await harness();
      store = await h.open();
    });
    afterAll(async () => {
      await store?.close();
      await h?.close();
    });

    it('appends commits and loads them back in order with versions and metadata', async () => {
      const id = freshId();
      const first = await store.append('Order', id, [ev('t.v1.Created', 'a', { user: 'u1' })], {
        expectedVersion: 0,
      });
      expect(first.version).toBe(1);
      const second = await store.append('Order', id, [ev('t.v1.Added', 'b'), ev('t.v1.Added', 'c')], {
        expectedVersion: 1,
      });
      expect(second.version).toBe(3);
      expect(second.position).toBeGreaterThan(first.position);
      const loaded = await store.load('Order', id);
      expect(loaded.version).toBe(3);
      expect(bodies(loaded.events)).toEqual(['a', 'b', 'c']);
      expect(loaded.events.map((e) => e.version)).toEqual([1, 2, 3]);
      expect(loaded.events.map((e) => e.type)).toEqual(['t.v1.Created', 't.v1.Added', 't.v1.Added']);
      expect(loaded.events[0]?.metadata).toEqual({ user: 'u1' });
      expect(loaded.events[1]?.position).toBe(loaded.events[2]?.position);
      expect(loaded.events[0]?.aggregateId).toBe(id);
      expect(loaded.events[0]?.recordedAt).toBeInstanceOf(Date);
    });

    it('an unknown aggregate loads as version 0 with no events', async () => {
      const loaded = await store.load('Order', freshId('none'));
      expect(loaded).toEqual({ version: 0, events: [] });
    });

    it('rejects an append at a stale version and at a version from the future', async () => {
      const id = freshId();
      await store.append('Order', id, [ev('t.v1.Created', 'a')], { expectedVersion: 0 });
      await expect(
        store.append('Order', id, [ev('t.v1.Created', 'again')], { expectedVersion: 0 }),
      ).rejects.toThrow(ConcurrencyError);
      await expect(store.append('Order', id, [ev('t.v1.X', 'x')], { expectedVersion: 5 })).rejects.toSatisfy(
        isConcurrencyError,
      );
      expect(bodies((await store.load('Order', id)).events)).toEqual(['a']);
    });

    it("'any' appends after whatever is there", async () => {
      const id = freshId();
      await store.append('Order', id, [ev('t.v1.A', '1')], { expectedVersion: 'any' });
      const r = await store.append('Order', id, [ev('t.v1.A', '2')], { expectedVersion: 'any' });
      expect(r.version).toBe(2);
    });

    it('a second store sees appends of the first and loses to them on conflict', async () => {
      const other = await h.openAnother();
      try {
        const id = freshId();
        await store.append('Order', id, [ev('t.v1.Created', 'a')], { expectedVersion: 0 });
        expect((await other.load('Order', id)).version).toBe(1);
        await other.append('Order', id, [ev('t.v1.B', 'b')], { expectedVersion: 1 });
        // `store` last saw version 1 (its own append): it must not trust that.
        await expect(store.append('Order', id, [ev('t.v1.C', 'c')], { expectedVersion: 1 })).rejects.toThrow(
          ConcurrencyError,
        );
        await store.append('Order', id, [ev('t.v1.C', 'c')], { expectedVersion: 2 });
        expect(bodies((await other.load('Order', id)).events)).toEqual(['a', 'b', 'c']);
      } finally {
        await other.close();
      }
    });

    it('of concurrent appends at the same version exactly one wins', async () => {
      const other = await h.openAnother();
      try {
        const id = freshId('race');
        let version = 0;
        for (let round = 0; round < 25; round++) {
          const results = await Promise.allSettled([
            store.append('Order', id, [ev('t.v1.A', `a${round}`)], { expectedVersion: version }),
            other.append('Order', id, [ev('t.v1.B', `b${round}`)], { expectedVersion: version }),
          ]);
          const won = results.filter((r) => r.status === 'fulfilled');
          const lost = results.filter((r) => r.status === 'rejected');
          expect(won).toHaveLength(1);
          expect(lost).toHaveLength(1);
          expect(isConcurrencyError((lost[0] as PromiseRejectedResult).reason)).toBe(true);
          version++;
        }
        const loaded = await store.load('Order', id);
        expect(loaded.version).toBe(25);
        expect(loaded.events).toHaveLength(25);
      } finally {
        await other.close();
      }
    });

    it('loads from the latest snapshot and replays only what came after', async () => {
      const id = freshId();
      await store.append('Order', id, [ev('t.v1.A', '1'), ev('t.v1.A', '2')], { expectedVersion: 0 });
      await store.append('Order', id, [ev('t.v1.A', '3')], { expectedVersion: 2 });
      await store.saveSnapshot('Order', id, { version: 2, state: text.encode('state@2') });
      await store.append('Order', id, [ev('t.v1.A', '4')], { expectedVersion: 3 });
      const loaded = await store.load('Order', id);
      expect(loaded.version).toBe(4);
      expect(loaded.snapshot && untext.decode(loaded.snapshot.state)).toBe('state@2');
      expect(bodies(loaded.events)).toEqual(['3', '4']);
      expect(loaded.events.map((e) => e.version)).toEqual([3, 4]);
      await store.saveSnapshot('Order', id, { version: 4, state: text.encode('state@4') });
      const again = await store.load('Order', id);
      expect(again.snapshot?.version).toBe(4);
      expect(again.events).toEqual([]);
      const full = await store.load('Order', id, { useSnapshot: false });
      expect(full.snapshot).toBeUndefined();
      expect(bodies(full.events)).toEqual(['1', '2', '3', '4']);
    });

    it('refuses a snapshot at a version no commit ends at', async () => {
      const id = freshId();
      await store.append('Order', id, [ev('t.v1.A', '1'), ev('t.v1.A', '2')], { expectedVersion: 0 });
      await expect(store.saveSnapshot('Order', id, { version: 1, state: text.encode('x') })).rejects.toThrow(
        /no commit ends at version 1/,
      );
      await expect(store.saveSnapshot('Order', id, { version: 9, state: text.encode('x') })).rejects.toThrow(
        /no commit ends at version 9/,
      );
    });

    it('reads every aggregate of a type in log order after a position, never splitting a commit', async () => {
      const type = `Cart${idCounter++}x${Date.now().toString(36).replace(/[0-9]/g, '')}`;
      expect(await store.headPosition(type)).toBe(0);
      const a = freshId('a');
      const b = freshId('b');
      const p1 = await store.append(type, a, [ev('t.v1.A', 'a1')], { expectedVersion: 0 });
      await store.append(type, b, [ev('t.v1.B', 'b1'), ev('t.v1.B', 'b2')], { expectedVersion: 0 });
      await store.append(type, a, [ev('t.v1.A', 'a2')], { expectedVersion: 1 });
      const all = await store.read(type, { after: 0 });
      expect(bodies(all)).toEqual(['a1', 'b1', 'b2', 'a2']);
      expect(all.map((e) => e.aggregateId)).toEqual([a, b, b, a]);
      const after = await store.read(type, { after: p1.position });
      expect(bodies(after)).toEqual(['b1', 'b2', 'a2']);
      const limited = await store.read(type, { after: 0, limit: 2 });
      expect(bodies(limited)).toEqual(['a1', 'b1', 'b2']);
      expect(await store.headPosition(type)).toBe(all.at(-1)?.position);
      expect(await store.read(type, { after: all.at(-1)?.position ?? 0 })).toEqual([]);
    });

    it('replays a long history', async () => {
      const id = freshId('long');
      let version = 0;
      for (let i = 0; i < 40; i++) {
        const batch = Array.from({ length: 5 }, (_, j) => ev('t.v1.Tick', String(i * 5 + j)));
        version = (await store.append('Order', id, batch, { expectedVersion: version })).version;
      }
      const loaded = await store.load('Order', id);
      expect(loaded.version).toBe(200);
      expect(bodies(loaded.events)).toEqual(Array.from({ length: 200 }, (_, i) => String(i)));
    });

    it('refuses names that are not names and empty appends', async () => {
      await expect(store.append('Order', 'a.b', [ev('t', 'x')], { expectedVersion: 0 })).rejects.toThrow(
        /cannot be stored/,
      );
      await expect(store.append('Order', 'a b', [ev('t', 'x')], { expectedVersion: 0 })).rejects.toThrow(
        /cannot be stored/,
      );
      await expect(store.append('../x', 'a', [ev('t', 'x')], { expectedVersion: 0 })).rejects.toThrow(
        /not a name/,
      );
      await expect(store.append('Order', 'ok', [], { expectedVersion: 0 })).rejects.toThrow(
        /nothing to append/,
      );
    });
  });
}
