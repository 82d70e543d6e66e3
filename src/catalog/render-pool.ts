// Render workers for event pages, so a large build uses more than one core. The build starts the workers
// first (loading tsx, React and the page modules takes a few hundred ms, which overlaps reading the inputs),
// hands them batches of events as soon as the site model exists, and renders batches itself once its own
// pages are done. Workers write into the build's temporary folder; a failure in a worker fails the build,
// which then deletes that folder, so the previous site stays as it was.
import { Worker } from 'node:worker_threads';
import { runsFromSource } from '../module-url.ts';
import { CatalogError } from './errors.ts';
import type { EventBatch, EventSiteShared } from './event-pages.ts';
import type { Graph, PlacedGraph } from './graph/types.ts';
import type { FromWorker, ToWorker } from './render-worker.ts';
import type { SearchDocument } from './search-index.ts';

// From the sources, a small .mjs entry registers tsx in the worker first (workers do not inherit loaders).
const entry = new URL(
  runsFromSource(import.meta.url) ? './render-worker.mjs' : './render-worker.js',
  import.meta.url,
);

interface Slot {
  readonly worker: Worker;
  /** Events sent and not yet reported done. */
  outstanding: number;
  readonly inFlight: Map<number, number>;
  exited: boolean;
}

export interface PoolTotals {
  pages: number;
  files: number;
  bytes: number;
}

export class RenderPool {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private failureValue: unknown;
  private closing = false;
  private waiters: (() => void)[] = [];
  private readonly layouts = new Map<
    number,
    { resolve: (g: PlacedGraph) => void; reject: (e: unknown) => void }
  >();
  private feed: (() => void) | undefined;
  readonly totals: PoolTotals = { pages: 0, files: 0, bytes: 0 };
  /** Called on the main thread after each batch a worker finished. */
  onPages: (pages: number) => void = () => {};

  constructor(count: number) {
    for (let i = 0; i < count; i++) {
      // No execArgv: the entry registers tsx itself, and a parent's `--import tsx` would register it twice.
      const worker = new Worker(entry, { execArgv: [], stdout: false, stderr: false });
      const slot: Slot = { worker, outstanding: 0, inFlight: new Map(), exited: false };
      worker.on('message', (message: FromWorker) => this.receive(slot, message));
      worker.on('error', (error) =>
        this.fail(
          new CatalogError('render-failed', `a catalog render worker crashed: ${error.message}`, {
            cause: error,
          }),
        ),
      );
      worker.on('exit', (code) => {
        slot.exited = true;
        if (!this.closing && (slot.outstanding > 0 || code !== 0))
          this.fail(
            new CatalogError(
              'render-failed',
              `a catalog render worker exited (code ${code}) before it finished`,
            ),
          );
        this.wake();
      });
      this.slots.push(slot);
    }
  }

  /** The first error of any worker (or of `onPages`); the build checks it and stops. */
  get failure(): unknown {
    return this.failureValue;
  }

  /** Tells the workers where to write and what every batch shares. */
  init(dir: string, shared: EventSiteShared): void {
    for (const slot of this.slots) this.post(slot, { type: 'init', dir, shared });
  }

  /** Lays a graph out in the first worker (ahead of its queued batches), so this thread can go on. */
  layout(graph: Graph, options: { curved?: boolean } = {}): Promise<PlacedGraph> {
    const slot = this.slots[0] as Slot;
    const id = this.nextId++;
    const placed = new Promise<PlacedGraph>((resolve, reject) => this.layouts.set(id, { resolve, reject }));
    // The layout counts as outstanding work until it is answered (a worker that exits first fails the build).
    slot.outstanding += 1;
    slot.inFlight.set(id, 1);
    this.post(slot, { type: 'layout', id, graph, curved: options.curved ?? false });
    if (this.failureValue) this.rejectLayouts();
    return placed;
  }

  /**
   * Has the last worker build the search index from these documents and write it (ahead of its batches).
   * `drain` waits for it.
   */
  searchIndex(docs: readonly SearchDocument[]): void {
    const slot = this.slots[this.slots.length - 1] as Slot;
    const id = this.nextId++;
    // Weighs like a batch of events when the pool decides how much more to send.
    slot.outstanding += 50;
    slot.inFlight.set(id, 50);
    this.post(slot, { type: 'search', id, docs });
  }

  /**
   * Keeps each worker supplied: `next()` returns the next batch of events (or undefined when none are left), and is called whenever a worker has fewer than `budget()` events outstanding.
   */
  supply(next: () => { batch: EventBatch; events: number } | undefined, budget: () => number): void {
    this.feed = () => {
      for (const slot of this.slots) {
        while (!this.failureValue && !slot.exited && slot.outstanding < budget()) {
          const item = next();
          if (!item) return;
          const id = this.nextId++;
          slot.outstanding += item.events;
          slot.inFlight.set(id, item.events);
          this.post(slot, { type: 'batch', id, batch: item.batch });
        }
      }
    };
    this.feed();
  }

  /** Resolves when every batch sent has been written; throws the first failure. */
  async drain(): Promise<void> {
    while (!this.failureValue && this.slots.some((s) => s.outstanding > 0)) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.failureValue) throw this.failureValue;
  }

  /**
   * Stops the workers. After a failure, waits until each has finished the page in hand and its writes have
   * settled, so nothing writes into the temporary folder once the build deletes it.
   */
  async close(): Promise<void> {
    this.closing = true;
    const busy = this.slots.filter((s) => !s.exited && s.outstanding > 0);
    await Promise.all(
      busy.map(
        (slot) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 10_000);
            slot.worker.on('message', (m: FromWorker) => {
              if (m.type === 'stopped') {
                clearTimeout(timer);
                resolve();
              }
            });
            slot.worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            this.post(slot, { type: 'stop' });
          }),
      ),
    );
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private post(slot: Slot, message: ToWorker): void {
    slot.worker.postMessage(message);
  }

  private receive(slot: Slot, message: FromWorker): void {
    if (message.type === 'done' || message.type === 'searched' || message.type === 'laid-out')
      this.answered(slot, message.id);
    if (message.type === 'done') {
      this.totals.pages += message.pages;
      this.totals.files += message.files;
      this.totals.bytes += message.bytes;
      try {
        this.onPages(message.pages);
      } catch (error) {
        this.fail(error);
      }
      this.feed?.();
    } else if (message.type === 'searched') {
      this.totals.files += 1;
      this.totals.bytes += message.bytes;
      this.feed?.();
    } else if (message.type === 'laid-out') {
      this.layouts.get(message.id)?.resolve(message.placed);
      this.layouts.delete(message.id);
    } else if (message.type === 'failed') {
      this.fail(
        new CatalogError('render-failed', `rendering event pages in a worker failed: ${message.message}`, {
          cause: Object.assign(new Error(message.message), message.stack ? { stack: message.stack } : {}),
        }),
      );
    }
    this.wake();
  }

  /** A job sent to `slot` is finished: its weight no longer counts as outstanding. */
  private answered(slot: Slot, id: number): void {
    slot.outstanding -= slot.inFlight.get(id) ?? 0;
    slot.inFlight.delete(id);
  }

  private fail(error: unknown): void {
    this.failureValue ??= error;
    this.rejectLayouts();
    this.wake();
  }

  private rejectLayouts(): void {
    for (const { reject } of this.layouts.values()) reject(this.failureValue);
    this.layouts.clear();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
