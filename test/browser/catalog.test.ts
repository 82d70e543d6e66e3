// The catalog in a real browser: build the site from the repository's own contracts, serve it from a local
// static server, and use it the way a person would — clicks, search, keyboard — in light and dark.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog, type StaticServer, serveStatic } from '../../src/catalog/index.ts';
import { loadConfig, loadRegistry } from '../../src/model/index.ts';
import type { Registry } from '../../src/model/types.ts';
import { syntheticRegistry } from '../../tools/synthetic/registry.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = path.join(repo, 'test-results', 'screenshots');
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

let tmp: string;
let registry: Registry;
let server: StaticServer;
let browser: Browser;
const foreignRequests: string[] = [];
const consoleErrors: string[] = [];

/** Node ids of a graph, read through the DOM attribute the SVG renderer writes. */
async function dataNodes(svg: Locator): Promise<string[]> {
  type WithAttributes = { getAttribute(name: string): string | null };
  return svg
    .locator('[data-node]')
    .evaluateAll((els) => els.map((e) => (e as unknown as WithAttributes).getAttribute('data-node') ?? ''));
}

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  return page;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eventkit-catalog-browser-'));
  const { config } = await loadConfig(repo);
  const loaded = await loadRegistry(config);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  registry = loaded.registry;
  await buildCatalog({ registry, outDir: path.join(tmp, 'site'), root: repo });
  server = await serveStatic(path.join(tmp, 'site'));
  browser = await chromium.launch({
    executablePath: '/usr/lib/chromium/chromium',
    headless: true,
    args: chromiumArgs,
  });
  fs.mkdirSync(screenshots, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function context(colorScheme: 'light' | 'dark'): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme });
  const local = new URL(server.url).host;
  // Every request is checked; anything not for the local server is recorded and refused.
  await ctx.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.host !== local) {
      foreignRequests.push(url.href);
      return route.abort();
    }
    return route.continue();
  });
  return ctx;
}

describe('catalog site in chromium', () => {
  it('navigates home → service → event by clicking', async () => {
    const ctx = await context('light');
    const page = await newPage(ctx);
    await page.goto(server.url);
    expect(await page.locator('h1').textContent()).toMatch(/catalog/i);
    const orders = registry.services.find((s) => s.id === 'orders') ?? registry.services[0];
    if (!orders) throw new Error('registry has no services');
    await page.locator('#contexts').getByRole('link', { name: orders.id, exact: true }).first().click();
    await page.waitForURL(`**/services/${orders.id}.html`);
    expect(await page.locator('h1').textContent()).toBe(orders.title);
    const sent = registry.events.find((e) => e.producer === orders.id && e.kind === 'event');
    if (!sent) throw new Error(`${orders.id} sends no events`);
    await page
      .locator('#sends')
      .getByRole('link', { name: new RegExp(`^${sent.name}`) })
      .first()
      .click();
    await page.waitForURL(`**/events/${sent.type}.html`);
    expect(await page.locator('h1').textContent()).toContain(sent.name);
    // The event page shows the subject, each consumer, the field tree and the proto source.
    expect(await page.locator('#overview').textContent()).toContain(sent.subjectPattern);
    for (const consumer of sent.consumers)
      expect(await page.locator(`#flow tr[data-consumer="${consumer}"]`).count()).toBe(1);
    for (const field of sent.payload.fields)
      expect(await page.locator(`#payload li[data-path="${field.name}"]`).count()).toBe(1);
    if (sent.payload.kind === 'protobuf')
      expect(await page.locator('#proto pre').textContent()).toContain(`message ${sent.name}`);
    await ctx.close();
  });

  it('searches across events, fields and subjects and follows a result', async () => {
    const ctx = await context('light');
    const page = await newPage(ctx);
    await page.goto(server.url);
    const target = registry.events.find((e) => e.kind === 'event' && e.payload.fields.length > 1);
    if (!target) throw new Error('no event with fields');
    const box = page.getByRole('combobox', { name: /search/i });
    await box.fill(target.name);
    const results = page.locator('#search-results [role="option"]');
    await results.first().waitFor({ state: 'visible' });
    await expect.poll(() => results.filter({ hasText: `${target.name} v${target.major}` }).count()).toBe(1);
    // A field name finds the events that carry it.
    const field = target.payload.fields[1]?.name as string;
    await box.fill(field);
    await results
      .filter({ hasText: `${target.name} v${target.major}` })
      .first()
      .waitFor({ state: 'visible' });
    // A subject finds its event; Enter on the highlighted result opens it.
    await box.fill(target.subjectPattern.split('.').slice(0, 2).join('.'));
    const hit = results.filter({ hasText: `${target.name} v${target.major}` });
    await expect.poll(() => hit.count()).toBe(1);
    const index = Number((await hit.getAttribute('id'))?.split('-').pop());
    for (let i = 0; i <= index; i++) await box.press('ArrowDown');
    await box.press('Enter');
    await page.waitForURL(`**/events/${target.type}.html`);
    await ctx.close();
  });

  it('reaches the search box with the keyboard, from the skip link onwards', async () => {
    const ctx = await context('light');
    const page = await newPage(ctx);
    await page.goto(server.url);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate("document.activeElement?.id === 'site-search'");
    }
    expect(reached).toBe(true);
    // `/` jumps to search from anywhere.
    await page.locator('main').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('/');
    expect(await page.evaluate('document.activeElement?.id')).toBe('site-search');
    await ctx.close();
  });

  it('draws the flow graph with every service and event as a node', async () => {
    const ctx = await context('light');
    const page = await newPage(ctx);
    await page.goto(`${server.url}flow.html`);
    const svg = page.locator('svg#flow-graph');
    await svg.waitFor({ state: 'visible' });
    const nodes = await dataNodes(svg);
    for (const e of registry.events) expect(nodes).toContain(`e:${e.type}`);
    const senders = new Set(registry.events.map((e) => e.producer).filter(Boolean));
    for (const s of senders) expect(nodes).toContain(`out:${s}`);
    const box = await svg.boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    // The saga from catalog/catalog.json is highlighted.
    expect(await svg.locator('.node--saga').count()).toBeGreaterThanOrEqual(5);
    await ctx.close();
  });

  it('fits graphs to their box: a wide one is scaled to its width, a tall one scrolls inside the window', async () => {
    const ctx = await context('light');
    const page = await newPage(ctx);
    type Metrics = { svgWidth: number; boxWidth: number; scrollWidth: number; boxHeight: number };
    // Evaluated in the page (the test's tsconfig has no DOM types).
    const metrics = (id: string): Promise<Metrics> =>
      page.evaluate(`(() => {
        const svg = document.getElementById(${JSON.stringify(id)});
        const box = document.getElementById(${JSON.stringify(`${id}-scroll`)});
        return {
          svgWidth: svg.getBoundingClientRect().width,
          boxWidth: box.clientWidth,
          scrollWidth: box.scrollWidth,
          boxHeight: box.getBoundingClientRect().height,
        };
      })()`);
    // The widest neighbourhood of the reference system (1,235 px laid out, a 1,190 px box at this viewport).
    const laidOut = (id: string): number =>
      Number(
        /id="neighbours-graph" viewBox="0 0 (\d+)/.exec(
          fs.readFileSync(path.join(tmp, 'site', `services/${id}.html`), 'utf8'),
        )?.[1] ?? 0,
      );
    const widest = registry.services.map((s) => s.id).sort((a, b) => laidOut(b) - laidOut(a))[0] ?? '';
    expect(laidOut(widest)).toBeGreaterThan(1190);
    {
      await page.goto(`${server.url}services/${widest}.html`);
      const fitted = await metrics('neighbours-graph');
      expect(fitted.svgWidth).toBeLessThanOrEqual(fitted.boxWidth);
      expect(fitted.scrollWidth).toBeLessThanOrEqual(fitted.boxWidth);
      const zoom = page.locator('#neighbours .graph-zoom');
      await zoom.click();
      const actual = await metrics('neighbours-graph');
      expect(actual.svgWidth).toBeGreaterThan(actual.boxWidth);
      expect(actual.scrollWidth).toBeGreaterThan(actual.boxWidth);
      expect(await zoom.getAttribute('aria-pressed')).toBe('true');
      await zoom.click();
      expect((await metrics('neighbours-graph')).svgWidth).toBeLessThanOrEqual(fitted.boxWidth);
    }
    // The flow is taller than the window: its box stops at 80 % of the viewport and scrolls inside.
    await page.goto(`${server.url}flow.html`);
    const flow = await metrics('flow-graph');
    expect(flow.scrollWidth).toBeLessThanOrEqual(flow.boxWidth);
    expect(flow.boxHeight).toBeLessThanOrEqual(900 * 0.8 + 2);
    await ctx.close();
  });

  it('toggles the theme and remembers it', async () => {
    const ctx = await context('light');
    const page = await newPage(ctx);
    await page.goto(server.url);
    const bg = () => page.evaluate('getComputedStyle(document.body).backgroundColor');
    const light = await bg();
    await page.getByRole('button', { name: 'Dark theme' }).click();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    expect(await bg()).not.toBe(light);
    await page.reload();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await ctx.close();
  });

  it('saves screenshots of the main pages in light and dark', async () => {
    const event =
      registry.events.find((e) => e.type === 'orders.v1.OrderPlaced') ??
      (registry.events[0] as (typeof registry.events)[number]);
    const service = event.producer ?? (registry.services[0]?.id as string);
    const pages: [string, string][] = [
      ['home', ''],
      ['service', `services/${service}.html`],
      ['event', `events/${event.type}.html`],
      ['flow', 'flow.html'],
      ['contracts', 'contracts.html'],
    ];
    for (const scheme of ['light', 'dark'] as const) {
      const ctx = await context(scheme);
      const page = await newPage(ctx);
      for (const [name, url] of pages) {
        await page.goto(server.url + url);
        const file = path.join(screenshots, `${name}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        expect(fs.statSync(file).size).toBeGreaterThan(10_000);
      }
      await ctx.close();
    }
  });

  it('made no request to any other host and logged no console errors', () => {
    expect(foreignRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});

describe('large registry in chromium', () => {
  it('shows the context-level graph with drill-down when there are too many events', async () => {
    const big = syntheticRegistry({ services: 40, events: 400, consumersPerEvent: 2, root: tmp });
    await buildCatalog({ registry: big, outDir: path.join(tmp, 'big'), root: tmp });
    const bigServer = await serveStatic(path.join(tmp, 'big'));
    try {
      const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
      const page = await ctx.newPage();
      await page.goto(`${bigServer.url}flow.html`);
      const nodes = await dataNodes(page.locator('svg#flow-graph'));
      const contexts = new Set(big.services.map((s) => s.context));
      expect(nodes.length).toBeGreaterThan(0);
      expect(nodes.every((n) => /^(out|in):/.test(n) && contexts.has(n.slice(n.indexOf(':') + 1)))).toBe(
        true,
      );
      const first = page.locator('svg#flow-graph a[data-node]').first();
      const name = (await first.getAttribute('data-node'))?.split(':')[1] as string;
      await first.click();
      await page.waitForURL(`**/contexts/${name}.html`);
      await page.locator('svg#context-graph').waitFor({ state: 'visible' });
      await ctx.close();
    } finally {
      await bigServer.close();
    }
  });
});
