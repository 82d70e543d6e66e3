// Building the site: every page on disk, deterministic bytes, nothing that reaches off the site,
// a working search index, and no half-written output when a build fails.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import MiniSearch from 'minisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildSummary, buildCatalog, isCatalogError } from '../../src/catalog/index.ts';
import { urls } from '../../src/catalog/urls.ts';
import type { Registry } from '../../src/model/types.ts';
import { writeSyntheticContracts } from '../../tools/synthetic/contracts.ts';
import { syntheticRegistry } from '../../tools/synthetic/registry.ts';
import { files } from './tree.ts';

let root: string;
let registry: Registry;
let summary: BuildSummary;
const site = (): string => path.join(root, 'dist', 'catalog');

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eventkit-catalog-build-'));
  registry = syntheticRegistry({ services: 6, events: 30, consumersPerEvent: 2, root });
  writeSyntheticContracts(registry, root);
  fs.mkdirSync(path.join(root, 'catalog', 'domains'), { recursive: true });
  fs.mkdirSync(path.join(root, 'catalog', 'teams'), { recursive: true });
  fs.mkdirSync(path.join(root, 'catalog', 'assets'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'catalog', 'catalog.json'),
    JSON.stringify({ title: 'Acme events', saga: ['OrderPlaced', 'PaymentApproved'] }),
  );
  fs.writeFileSync(
    path.join(root, 'catalog', 'domains', 'orders.md'),
    '# Order management\n\nOwns **orders** end to end.\n',
  );
  fs.writeFileSync(
    path.join(root, 'catalog', 'teams', 'checkout.md'),
    '# Checkout crew\n\nOn call in #checkout.\n',
  );
  fs.writeFileSync(path.join(root, 'catalog', 'assets', 'custom.css'), ':root { --accent: #0a7; }\n');
  summary = await buildCatalog({ registry, root, outDir: 'dist/catalog' });
}, 60_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('buildCatalog', () => {
  it('writes a page for every service, event, context and team, plus documents, protos, search and assets', () => {
    const all = new Set(files(site()));
    const expected = [
      urls.home(),
      urls.flow(),
      urls.events(),
      urls.contracts(),
      urls.searchIndex(),
      ...registry.services.map((s) => urls.service(s.id)),
      ...registry.services.map((s) => urls.asyncapi(s.id, `${s.id}.json`)),
      ...registry.events.map((e) => urls.event(e.type)),
      ...[...new Set(registry.services.map((s) => s.context))].map(urls.context),
      ...[...new Set(registry.services.map((s) => s.owner?.team as string))].map(urls.team),
      ...registry.protoFiles.map((p) => urls.proto(p.importPath)),
      'assets/site.css',
      'assets/site.js',
      'assets/minisearch.js',
      'assets/favicon.svg',
      'assets/custom/custom.css',
    ];
    for (const f of expected) expect(all, f).toContain(f);
    expect(summary.pages).toBe(
      4 +
        registry.services.length +
        registry.events.length +
        new Set(registry.services.map((s) => s.context)).size +
        new Set(registry.services.map((s) => s.owner?.team)).size,
    );
    expect(summary.files).toBe(all.size);
    expect(summary.bytes).toBe([...all].reduce((n, f) => n + fs.statSync(path.join(site(), f)).size, 0));
    expect(summary.warnings).toEqual([]);
    // No temporary or previous build is left next to the output.
    expect(fs.readdirSync(path.dirname(site())).sort()).toEqual(['catalog']);
  });

  it('shows hand-written content, owners and the configured saga', () => {
    const context = fs.readFileSync(path.join(site(), urls.context('orders')), 'utf8');
    expect(context).toContain('<h1>Order management</h1>');
    expect(context).toContain('Owns <strong>orders</strong> end to end.');
    expect(fs.readFileSync(path.join(site(), urls.team('checkout')), 'utf8')).toContain('Checkout crew');
    const home = fs.readFileSync(path.join(site(), urls.home()), 'utf8');
    expect(home).toContain('<title>Acme events</title>');
    expect(home).toContain('href="assets/custom/custom.css"');
    const saga = home.slice(home.indexOf('<ol class="saga'));
    expect(home.indexOf('<ol class="saga')).toBeGreaterThan(0);
    expect(saga.indexOf('OrderPlaced')).toBeGreaterThan(0);
    expect(saga.indexOf('PaymentApproved')).toBeGreaterThan(saga.indexOf('OrderPlaced'));
  });

  it('references nothing outside the site: no remote scripts, styles, fonts or images', () => {
    for (const f of files(site())) {
      if (!/\.(html|css|js)$/.test(f)) continue;
      const text = fs.readFileSync(path.join(site(), f), 'utf8');
      expect(text, f).not.toMatch(/<(script|img|iframe|link|source)[^>]+(src|href)="(https?:)?\/\//i);
      expect(text, f).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//i);
      expect(text, f).not.toMatch(/fetch\(\s*['"]https?:/);
    }
  });

  it('is deterministic: a second build has the same bytes', async () => {
    const again = await buildCatalog({ registry, root, outDir: 'dist/again' });
    const a = files(site());
    const b = files(again.outDir);
    expect(b).toEqual(a);
    for (const f of a)
      expect(
        fs.readFileSync(path.join(again.outDir, f)).equals(fs.readFileSync(path.join(site(), f))),
        f,
      ).toBe(true);
    fs.rmSync(again.outDir, { recursive: true });
  });

  it('ships a search index that finds events by name, field and subject', () => {
    const data = JSON.parse(fs.readFileSync(path.join(site(), urls.searchIndex()), 'utf8')) as {
      options: { fields: string[]; storeFields: string[]; idField: string };
      index: never;
    };
    const search = MiniSearch.loadJS(data.index, data.options);
    const event = registry.events.find((e) => e.payload.fields.length > 2) as Registry['events'][number];
    const field = event.payload.fields[2]?.name as string;
    expect(search.search(event.name, { prefix: true }).map((r) => r.id)).toContain(`e:${event.type}`);
    expect(search.search(field).map((r) => r.id)).toContain(`e:${event.type}`);
    expect(
      search
        .search(event.subjectPattern.split('.').slice(0, 2).join(' '), { combineWith: 'AND' })
        .map((r) => r.id),
    ).toContain(`e:${event.type}`);
    expect(search.search(registry.services[0]?.id as string).some((r) => r.kind === 'service')).toBe(true);
  });

  it('leaves the previous site untouched when a build fails half-way', async () => {
    const before = files(site());
    const index = fs.readFileSync(path.join(site(), 'index.html'));
    const failing = buildCatalog({
      registry,
      root,
      outDir: 'dist/catalog',
      onProgress: (p) => {
        if (p.phase === 'pages' && p.done > 0) throw new Error('disk full (simulated)');
      },
    });
    await expect(failing).rejects.toThrow('disk full (simulated)');
    expect(files(site())).toEqual(before);
    expect(fs.readFileSync(path.join(site(), 'index.html')).equals(index)).toBe(true);
    expect(fs.readdirSync(path.dirname(site())).sort()).toEqual(['catalog']);
  });

  it('refuses to replace a folder it did not write, or the project itself', async () => {
    const foreign = path.join(root, 'docs');
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, 'README.md'), 'mine');
    const error = await buildCatalog({ registry, root, outDir: 'docs' }).catch((e: unknown) => e);
    expect(isCatalogError(error) && error.code).toBe('output-unsafe');
    expect((error as Error).message).toMatch(/did not write/);
    expect(fs.readdirSync(foreign)).toEqual(['README.md']);
    const self = await buildCatalog({ registry, root, outDir: '.' }).catch((e: unknown) => e);
    expect(isCatalogError(self) && self.code).toBe('output-unsafe');
  });
});
