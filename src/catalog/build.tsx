// Builds the static catalog site from a registry: pages stream to disk one at a time, graphs are laid out
// at build time, and the finished site replaces the old one in a single rename.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import type { EventModel, Registry } from '../model/types.ts';
import { bundleDocument } from './bundle-document.ts';
import { type CatalogContent, readCatalogContent } from './content.ts';
import { eventBatch, eventPageData, eventSiteShared, ProtoSources } from './event-pages.ts';
import { columnLayout } from './graph/column-layout.ts';
import { orderColumns } from './graph/column-order.ts';
import { layoutGraph } from './graph/elk-layout.ts';
import {
  contextGraph,
  contextNeighbourhood,
  serviceNeighbourhood,
  systemGraph,
} from './graph/flow-graphs.ts';
import type { Graph, PlacedGraph } from './graph/types.ts';
import type { CatalogInputs, InputWarning } from './inputs.ts';
import { ContextPage } from './pages/context-page.tsx';
import { ContractsPage } from './pages/contracts.tsx';
import { EventPage } from './pages/event.tsx';
import { EventsIndexPage } from './pages/events-index.tsx';
import { FlowPage } from './pages/flow.tsx';
import { HomePage } from './pages/home.tsx';
import { ServicePage } from './pages/service.tsx';
import { TeamPage } from './pages/team.tsx';
import { readCatalogInputs } from './read-inputs.ts';
import { type PageElement, pageRenderer } from './render.tsx';
import { RenderPool } from './render-pool.ts';
import { buildSearchIndex, searchDocuments } from './search-index.ts';
import { buildSiteModel, eventTags, type SiteModel } from './site-model.ts';
import { assertReplaceable, SiteWriter } from './site-writer.ts';
import { baseOf, urls } from './urls.ts';

export interface BuildProgress {
  readonly phase: 'prepare' | 'pages' | 'search' | 'assets' | 'done';
  readonly done: number;
  readonly total: number;
}

export interface BuildCatalogOptions {
  readonly registry: Registry;
  /** Folder the site goes to (absolute, or relative to `root`). */
  readonly outDir: string;
  /** Project root with `catalog/`, pacts and results. Default `registry.config.root`. */
  readonly root?: string;
  /** Hand-written content; read from `<root>/catalog` when omitted. */
  readonly content?: CatalogContent;
  /** Contract inputs; read from the configured pacts and results paths when omitted. */
  readonly inputs?: CatalogInputs;
  readonly onProgress?: (progress: BuildProgress) => void;
  /**
   * Worker threads that render event pages next to the main thread. Default: one less than the available
   * cores (at most 3) for registries of at least `WORKER_MIN_EVENTS` events, else none; 0 renders
   * everything on the main thread. The output is the same either way.
   */
  readonly workers?: number;
}

export interface BuildSummary {
  readonly outDir: string;
  readonly pages: number;
  readonly files: number;
  readonly bytes: number;
  readonly durationMs: number;
  readonly services: number;
  readonly events: number;
  readonly contexts: number;
  readonly flowLevel: 'services' | 'contexts';
  readonly warnings: readonly InputWarning[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

function minisearchBrowserBuild(): string {
  const cjs = require.resolve('minisearch');
  const esm = path.join(path.dirname(cjs), '..', 'es', 'index.js');
  // Drop the source map reference so browsers never ask for a file we do not ship.
  return fs.readFileSync(esm, 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/m, '\n');
}

/**
 * Below this many events a worker does not pay for itself: it spends ~0.5 s CPU loading tsx and the page
 * modules, and a single thread renders ~1,000 event pages a second while libuv's threads write them. Measured
 * on 2 cores (2026-12-07): 1,000 events 1.15 s without a worker against 1.35 s with one, 2,000 events
 * 2.5 s against 2.65 s, 4,000 events 5.0 s against 4.4 s.
 */
export const WORKER_MIN_EVENTS = 3_000;
/** Events per batch a worker (or the main thread) renders at a time. */
const BATCH = 50;
/** How long the main thread renders before it looks at the workers' messages. */
const YIELD_MS = 10;

/** Render workers for a build: as requested, else one less than the cores (at most 3) for large registries. */
export function workerCount(
  requested: number | undefined,
  events: number,
  cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
): number {
  if (requested !== undefined) return Math.max(0, Math.floor(requested));
  if (events < WORKER_MIN_EVENTS) return 0;
  return Math.max(0, Math.min(cores - 1, 3));
}

/** The service's AsyncAPI document as the site offers it: the file itself (bundled when it refers to others), else the parsed document as JSON. */
function documentCopy(
  root: string,
  id: string,
  file: string,
  raw: unknown,
): { path: string; from?: { file: string; size: number }; data?: string } {
  const onDisk = path.join(root, file);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(onDisk, { throwIfNoEntry: false });
  } catch {
    // Not reachable: as missing.
  }
  // A document that refers to other files is bundled (the site ships this one file); any other is copied by
  // the kernel as it is. Anything else that exists fails the build as reading it would.
  if (stat?.isFile()) {
    const bundled = bundleDocument(onDisk, raw);
    if (bundled !== undefined) return { path: urls.asyncapi(id, file), data: bundled };
    return { path: urls.asyncapi(id, file), from: { file: onDisk, size: stat.size } };
  }
  if (stat) fs.readFileSync(onDisk);
  return { path: urls.asyncapi(id, `${id}.json`), data: `${JSON.stringify(raw, null, 2)}\n` };
}

export async function buildCatalog(options: BuildCatalogOptions): Promise<BuildSummary> {
  const started = performance.now();
  const { registry } = options;
  const root = options.root ?? registry.config.root;
  const outDir = path.resolve(root, options.outDir);
  const progress = options.onProgress ?? (() => {});
  progress({ phase: 'prepare', done: 0, total: 1 });
  assertReplaceable(outDir, root);

  // Workers start first: they load while this thread reads the inputs.
  const workers = workerCount(options.workers, registry.events.length);
  const pool = workers > 0 ? new RenderPool(workers) : undefined;
  const gentle = registry.events.length >= GENTLE_HEAP_EVENTS;
  if (gentle) gentleHeapGrowth(true);
  try {
    return await build(options, root, outDir, progress, started, pool);
  } finally {
    await pool?.close();
    if (gentle) gentleHeapGrowth(false);
  }
}

/**
 * A large build keeps a ~200 MB live set (the registry, the site model) and allocates fast; V8's dynamic heap
 * growth then lets the old generation fill with ~3× that in garbage before it collects, which pushed a
 * 10,000-event build past 1 GB RSS in some runs. A fixed 1.5× growth factor for the build's duration keeps the
 * peak near 650 MB for a few more (short) collections. V8 flags are per process: restored afterwards.
 */
const GENTLE_HEAP_EVENTS = 2_000;
function gentleHeapGrowth(on: boolean): void {
  v8.setFlagsFromString(on ? '--heap-growing-percent=50' : '--heap-growing-percent=0');
}

/** The context-level flow, or the service-level one when no worker lays it out. */
async function layoutFlow(site: SiteModel, services: Graph | undefined): Promise<PlacedGraph> {
  if (services) return layoutGraph(services, { curved: true });
  const { graph, columns } = contextGraph(site);
  return columnLayout(graph, orderColumns(graph, columns), { gap: CONTEXT_FLOW_GAP });
}
/** Room between the sender and receiver columns of the context flow: many edges fan across it. */
const CONTEXT_FLOW_GAP = 320;

async function build(
  options: BuildCatalogOptions,
  root: string,
  outDir: string,
  progress: (progress: BuildProgress) => void,
  started: number,
  pool: RenderPool | undefined,
): Promise<BuildSummary> {
  const { registry } = options;
  const content = options.content ?? readCatalogContent(root);
  const inputs =
    options.inputs ??
    readCatalogInputs(root, registry, {
      pacts: registry.config.output.pacts,
      results: registry.config.output.results,
      compat: 'contracts/compat-results.json',
    });
  const site = buildSiteModel(registry, content, inputs);
  // With render workers every core is busy rendering: writing on this thread costs less than handing each
  // file to libuv's threads, which would only compete with the renderers.
  const writer = new SiteWriter(outDir, pool !== undefined);
  try {
    const render = pageRenderer(site);
    const total =
      4 + site.contexts.length + site.teams.size + registry.services.length + registry.events.length;
    let done = 0;
    let lastYield = performance.now();
    const counted = (pages: number): void => {
      const before = done;
      done += pages;
      if (Math.floor(done / 200) > Math.floor(before / 200) || done === total)
        progress({ phase: 'pages', done, total });
    };
    const page = async (pagePath: string, element: PageElement): Promise<void> => {
      await writer.write(pagePath, render(pagePath, element));
      counted(1);
      if (pool) {
        if (pool.failure) throw pool.failure;
        // Let the workers' messages in now and then: each finished batch is answered with the next one.
        if (performance.now() - lastYield > YIELD_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          lastYield = performance.now();
          if (pool.failure) throw pool.failure;
        }
      }
    };

    // Event pages go out in batches: to the workers from now on, and to this thread once its other pages
    // are written. The first supply covers the long steps below (search index, flow layout) during which
    // this thread cannot answer a worker.
    const protos = new ProtoSources(registry.protoFiles);
    let cursor = 0;
    const nextEvents = (): readonly EventModel[] | undefined => {
      if (cursor >= registry.events.length) return undefined;
      const events = registry.events.slice(cursor, cursor + BATCH);
      cursor += events.length;
      return events;
    };
    let budget = Math.max(BATCH * 2, Math.ceil(registry.events.length * 0.25));
    if (pool) pool.init(writer.tmpDir, eventSiteShared(site, render.chrome(baseOf(urls.event('x')))));

    // The flow graph. Services and events are laid out with elkjs: with workers, the first lays it out (before
    // any event page) while this thread writes the other pages, and the flow page is written once it is back.
    // Contexts are two known columns (senders, receivers): ordering them to cross less is all a layout engine
    // would add, and `orderColumns` does that in milliseconds.
    const detailed =
      registry.events.length <= content.settings.detailedFlowMaxEvents && registry.services.length <= 40;
    const flow = detailed ? systemGraph(site) : undefined;
    const flowLayout = flow && pool?.layout(flow, { curved: true });
    // Awaited further down; until then a failure shows as the pool's failure.
    flowLayout?.catch(() => {});

    if (pool) {
      pool.onPages = counted;
      pool.supply(
        () => {
          const events = nextEvents();
          return events && { batch: eventBatch(site, events, protos), events: events.length };
        },
        () => budget,
      );
    }

    // The search index early: it is the largest single allocation, and the heap is smallest now. With workers,
    // one builds it and this thread only gathers the documents: its heap never holds the index.
    progress({ phase: 'search', done: 0, total: 1 });
    if (pool) pool.searchIndex(searchDocuments(site));
    else await writer.write(urls.searchIndex(), buildSearchIndex(site));

    const flowGraph = flowLayout ? undefined : await layoutFlow(site, flow);
    budget = BATCH * 2;
    const flowPage = async (graph: PlacedGraph): Promise<void> =>
      page(urls.flow(), () => <FlowPage graph={graph} level={detailed ? 'services' : 'contexts'} />);
    await page(urls.home(), () => <HomePage />);
    if (flowGraph) await flowPage(flowGraph);
    await page(urls.events(), () => <EventsIndexPage />);
    await page(urls.contracts(), () => <ContractsPage />);
    for (const c of site.contexts) {
      const { graph, columns } = contextNeighbourhood(site, c.name);
      await page(urls.context(c.name), () => (
        <ContextPage context={c} graph={columnLayout(graph, columns)} />
      ));
    }
    for (const [team, services] of [...site.teams.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      await page(urls.team(team), () => <TeamPage team={team} services={services} />);
    }
    for (const s of registry.services) {
      const { graph, columns } = serviceNeighbourhood(site, s.id);
      const asyncapiCopy = documentCopy(root, s.id, s.document.file, s.document.raw);
      await page(urls.service(s.id), () => (
        <ServicePage service={s} graph={columnLayout(graph, columns)} documentHref={asyncapiCopy.path} />
      ));
      if (asyncapiCopy.from)
        await writer.copy(asyncapiCopy.path, asyncapiCopy.from.file, asyncapiCopy.from.size);
      else await writer.write(asyncapiCopy.path, asyncapiCopy.data ?? '');
    }

    if (flowLayout) await flowPage(await flowLayout);
    for (let events = nextEvents(); events; events = nextEvents()) {
      for (const e of events) {
        const data = eventPageData(site, e, eventTags(e, site.serviceById), protos);
        await page(urls.event(e.type), () => <EventPage data={data} />);
      }
    }
    if (pool) {
      await pool.drain();
      writer.account(pool.totals.files, pool.totals.bytes);
    }
    for (const p of registry.protoFiles) await writer.write(urls.proto(p.importPath), p.source);

    progress({ phase: 'assets', done: 0, total: 1 });
    for (const asset of ['site.css', 'site.js', 'favicon.svg'])
      await writer.write(urls.asset(asset), fs.readFileSync(path.join(here, 'assets', asset)));
    await writer.write(urls.asset('minisearch.js'), minisearchBrowserBuild());
    for (const asset of content.assets)
      await writer.write(
        urls.asset(`custom/${asset}`),
        fs.readFileSync(path.join(root, 'catalog', 'assets', asset)),
      );

    await writer.commit();
    const summary: BuildSummary = {
      outDir,
      pages: done,
      files: writer.files,
      bytes: writer.bytes,
      durationMs: Math.round(performance.now() - started),
      services: registry.services.length,
      events: registry.events.length,
      contexts: site.contexts.length,
      flowLevel: detailed ? 'services' : 'contexts',
      warnings: [...content.warnings, ...inputs.warnings],
    };
    progress({ phase: 'done', done: total, total });
    return summary;
  } catch (error) {
    // Workers stop (and their writes settle) before the temporary folder goes.
    await pool?.close();
    await writer.abort();
    throw error;
  }
}
