// A render worker: renders batches of event pages and writes them into the build's temporary folder.
// Protocol (see render-pool.ts): `init` once, then `batch` messages; each batch is answered with `done`
// after its files are on disk, or `failed`. `stop` finishes the page in hand, waits for its writes and
// answers `stopped`; batches still queued are dropped.
import { parentPort } from 'node:worker_threads';
import {
  batchSite,
  type EventBatch,
  type EventSiteShared,
  eventPageData,
  ProtoSources,
} from './event-pages.ts';
import type { Graph, PlacedGraph } from './graph/types.ts';
import { EventPage } from './pages/event.tsx';
import { pageRenderer } from './render.tsx';
import type { SearchDocument } from './search-index.ts';
import { FileSink } from './site-writer.ts';
import { urls } from './urls.ts';

export type ToWorker =
  | { readonly type: 'init'; readonly dir: string; readonly shared: EventSiteShared }
  | { readonly type: 'layout'; readonly id: number; readonly graph: Graph; readonly curved: boolean }
  | { readonly type: 'search'; readonly id: number; readonly docs: readonly SearchDocument[] }
  | { readonly type: 'batch'; readonly id: number; readonly batch: EventBatch }
  | { readonly type: 'stop' };

export type FromWorker =
  | {
      readonly type: 'done';
      readonly id: number;
      readonly pages: number;
      readonly files: number;
      readonly bytes: number;
    }
  | { readonly type: 'laid-out'; readonly id: number; readonly placed: PlacedGraph }
  | { readonly type: 'searched'; readonly id: number; readonly bytes: number }
  | { readonly type: 'failed'; readonly message: string; readonly stack?: string }
  | { readonly type: 'stopped' };

const port = parentPort;
if (!port) throw new Error('render-worker.ts runs as a worker thread only');

let sink: FileSink | undefined;
let shared: EventSiteShared | undefined;
let protos: ProtoSources | undefined;
type Job =
  | { readonly kind: 'batch'; readonly id: number; readonly batch: EventBatch }
  | { readonly kind: 'layout'; readonly id: number; readonly graph: Graph; readonly curved: boolean }
  | { readonly kind: 'search'; readonly id: number; readonly docs: readonly SearchDocument[] };
/** Layout and search jobs, in order, before any batch: the build waits for them. */
const urgent: Job[] = [];
const queue: Job[] = [];
let running = false;
let stopping = false;
let failed = false;
const post = (message: FromWorker): void => port.postMessage(message);

async function renderBatch(id: number, batch: EventBatch): Promise<void> {
  if (!sink || !shared || !protos) throw new Error('render worker got a batch before init');
  const files = sink.files;
  const bytes = sink.bytes;
  const { site, events } = batchSite(shared, batch, protos);
  const render = pageRenderer(site, new Map([['../', shared.chrome]]));
  let pages = 0;
  for (const [i, e] of events.entries()) {
    if (stopping) break;
    const data = eventPageData(site, e, batch.tags[i] ?? [], protos);
    const path = urls.event(e.type);
    await sink.write(
      path,
      render(path, () => EventPage({ data })),
    );
    pages++;
  }
  await sink.flush();
  if (!stopping) post({ type: 'done', id, pages, files: sink.files - files, bytes: sink.bytes - bytes });
}

async function pump(): Promise<void> {
  if (running) return;
  running = true;
  try {
    while (!stopping && !failed && urgent.length + queue.length > 0) {
      const job = (urgent.shift() ?? queue.shift()) as Job;
      if (job.kind === 'layout') {
        // elkjs loads only in the worker that lays out (the flow graph of a large site).
        const { layoutGraph } = await import('./graph/elk-layout.ts');
        post({ type: 'laid-out', id: job.id, placed: await layoutGraph(job.graph, { curved: job.curved }) });
      } else if (job.kind === 'search') {
        if (!sink) throw new Error('render worker got the search index before init');
        const { searchIndexJson } = await import('./search-index.ts');
        const bytes = sink.bytes;
        await sink.write(urls.searchIndex(), searchIndexJson(job.docs));
        post({ type: 'searched', id: job.id, bytes: sink.bytes - bytes });
      } else await renderBatch(job.id, job.batch);
      // Writes are synchronous: give `stop` and new work a chance to arrive between jobs.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    failed = true;
    queue.length = 0;
    urgent.length = 0;
    await sink?.settle();
    post({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
      ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
    });
  } finally {
    running = false;
  }
  if (stopping) await finishStop();
}

async function finishStop(): Promise<void> {
  queue.length = 0;
  urgent.length = 0;
  await sink?.settle();
  post({ type: 'stopped' });
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'init') {
    sink = new FileSink(message.dir, true);
    shared = message.shared;
    protos = new ProtoSources(message.shared.protoFiles);
  } else if (message.type === 'batch') {
    if (failed || stopping) return;
    queue.push({ kind: 'batch', id: message.id, batch: message.batch });
    void pump();
  } else if (message.type === 'layout') {
    if (failed || stopping) return;
    urgent.push({ kind: 'layout', id: message.id, graph: message.graph, curved: message.curved });
    void pump();
  } else if (message.type === 'search') {
    if (failed || stopping) return;
    urgent.push({ kind: 'search', id: message.id, docs: message.docs });
    void pump();
  } else if (message.type === 'stop') {
    stopping = true;
    if (!running) void finishStop();
  }
});
