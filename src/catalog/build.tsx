// Builds the static catalog site from a registry: pages stream to disk one at a time, graphs are laid out
// at build time, and the finished site replaces the old one in a single rename.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Registry } from '../model/types.ts';
import { type CatalogContent, readCatalogContent } from './content.ts';
import { columnLayout } from './graph/column-layout.ts';
import { layoutGraph } from './graph/elk-layout.ts';
import {
  contextGraph,
  contextNeighbourhood,
  serviceNeighbourhood,
  systemGraph,
} from './graph/flow-graphs.ts';
import { highlightJson, highlightProto, highlightTs, protoDeclarations, protoExcerpt } from './highlight.ts';
import type { CatalogInputs, InputWarning } from './inputs.ts';
import { PageContext, type PageEnv } from './pages/context.ts';
import { ContextPage } from './pages/context-page.tsx';
import { ContractsPage } from './pages/contracts.tsx';
import { EventPage, type EventPageData } from './pages/event.tsx';
import { EventsIndexPage } from './pages/events-index.tsx';
import { FlowPage } from './pages/flow.tsx';
import { HomePage } from './pages/home.tsx';
import { HeaderInner } from './pages/layout.tsx';
import { ServicePage } from './pages/service.tsx';
import { TeamPage } from './pages/team.tsx';
import { readCatalogInputs } from './read-inputs.ts';
import { buildSearchIndex } from './search-index.ts';
import { buildSiteModel, eventTags, type SiteModel } from './site-model.ts';
import { assertReplaceable, SiteWriter } from './site-writer.ts';
import { usageSnippets } from './snippets.ts';
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

type Section = 'home' | 'flow' | 'events' | 'contracts' | 'none';

/** Renders pages; the header (identical per depth and section) is rendered by React once and reused. */
export function pageRenderer(site: SiteModel): (pagePath: string, element: ReactElement) => string {
  const headers = new Map<string, string>();
  const chromeFor =
    (base: string) =>
    (section: Section): string => {
      const key = `${base}|${section}`;
      let html = headers.get(key);
      if (html === undefined) {
        html = renderToStaticMarkup(
          <PageContext.Provider value={{ site, base }}>
            <HeaderInner section={section} />
          </PageContext.Provider>,
        );
        headers.set(key, html);
      }
      return html;
    };
  const sections: Section[] = ['home', 'flow', 'events', 'contracts', 'none'];
  const envs = new Map<string, PageEnv>();
  return (pagePath, element) => {
    const base = baseOf(pagePath);
    let env = envs.get(base);
    if (!env) {
      // Render the headers before any page, so no render nests inside another.
      const chrome = chromeFor(base);
      for (const section of sections) chrome(section);
      env = { site, base, chrome };
      envs.set(base, env);
    }
    return `<!doctype html>${renderToStaticMarkup(<PageContext.Provider value={env}>{element}</PageContext.Provider>)}`;
  };
}

/** The service's AsyncAPI document as the site offers it: the file itself, else the parsed document as JSON. */
function documentCopy(
  root: string,
  id: string,
  file: string,
  raw: unknown,
): { path: string; data: string | Uint8Array } {
  const onDisk = path.join(root, file);
  if (fs.existsSync(onDisk)) return { path: urls.asyncapi(id, file), data: fs.readFileSync(onDisk) };
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

  const content = options.content ?? readCatalogContent(root);
  const inputs =
    options.inputs ??
    readCatalogInputs(root, registry, {
      pacts: registry.config.output.pacts,
      results: registry.config.output.results,
      compat: 'contracts/compat-results.json',
    });
  const site = buildSiteModel(registry, content, inputs);
  const writer = new SiteWriter(outDir);
  try {
    // The search index first: it is the largest single allocation, and the heap is smallest now.
    progress({ phase: 'search', done: 0, total: 1 });
    await writer.write(urls.searchIndex(), buildSearchIndex(site));

    const render = pageRenderer(site);
    const total =
      4 + site.contexts.length + site.teams.size + registry.services.length + registry.events.length;
    let done = 0;
    const page = async (pagePath: string, element: ReactElement): Promise<void> => {
      await writer.write(pagePath, render(pagePath, element));
      done++;
      if (done % 200 === 0 || done === total) progress({ phase: 'pages', done, total });
    };

    const detailed =
      registry.events.length <= content.settings.detailedFlowMaxEvents && registry.services.length <= 40;
    const flowGraph = await layoutGraph(detailed ? systemGraph(site) : contextGraph(site), { curved: true });
    await page(urls.home(), <HomePage />);
    await page(urls.flow(), <FlowPage graph={flowGraph} level={detailed ? 'services' : 'contexts'} />);
    await page(urls.events(), <EventsIndexPage />);
    await page(urls.contracts(), <ContractsPage />);
    for (const c of site.contexts) {
      const { graph, columns } = contextNeighbourhood(site, c.name);
      await page(urls.context(c.name), <ContextPage context={c} graph={columnLayout(graph, columns)} />);
    }
    for (const [team, services] of [...site.teams.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      await page(urls.team(team), <TeamPage team={team} services={services} />);
    }
    for (const s of registry.services) {
      const { graph, columns } = serviceNeighbourhood(site, s.id);
      const asyncapiCopy = documentCopy(root, s.id, s.document.file, s.document.raw);
      await page(
        urls.service(s.id),
        <ServicePage service={s} graph={columnLayout(graph, columns)} documentHref={asyncapiCopy.path} />,
      );
      await writer.write(asyncapiCopy.path, asyncapiCopy.data);
    }

    const protoByFile = new Map(registry.protoFiles.map((p) => [p.file, p]));
    const declarations = new Map<string, Map<string, string>>();
    for (const e of registry.events) {
      const data: { -readonly [K in keyof EventPageData]: EventPageData[K] } = {
        event: e,
        tags: eventTags(e, site.serviceById),
      };
      if (e.payload.kind === 'protobuf') {
        const file = e.payload.protoFile;
        let decls = declarations.get(file);
        if (!decls) {
          decls = protoDeclarations(e.payload.protoSource);
          declarations.set(file, decls);
        }
        const excerpt = protoExcerpt(decls, e.payload.messageType.split('.').pop() ?? e.name);
        if (excerpt) data.protoHtml = highlightProto(excerpt);
        const proto = protoByFile.get(file);
        if (proto) data.protoHref = urls.proto(proto.importPath);
      }
      const example = e.examples[0];
      if (example) data.exampleHtml = highlightJson(JSON.stringify(example.payload, null, 2));
      const firstReceiver = site.subscriptions.get(e.type)?.[0];
      const receiver = firstReceiver
        ? {
            service: firstReceiver.consumer,
            ...(firstReceiver.operation ? { operation: firstReceiver.operation } : {}),
          }
        : undefined;
      const snippets = usageSnippets(
        e,
        site.sendOperation.get(e.type),
        receiver,
        registry.config.output.codegen,
      );
      if (snippets.publish) data.publishHtml = highlightTs(snippets.publish);
      if (snippets.subscribe) data.subscribeHtml = highlightTs(snippets.subscribe);
      await page(urls.event(e.type), <EventPage data={data} />);
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
    await writer.abort();
    throw error;
  }
}
