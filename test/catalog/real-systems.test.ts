// The catalog on systems written elsewhere (the corpus in test/fixtures/corpus): large fan-outs are drawn as
// grouped nodes that list their events, the "Download AsyncAPI" file stands alone (its refs to `common/`
// resolved), a service is not named twice, and addresses carry the protocol's own word.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildCatalog, readCatalogInputs } from '../../src/catalog/index.ts';
import { urls } from '../../src/catalog/urls.ts';
import { loadProject } from '../../src/model/index.ts';
import type { Registry } from '../../src/model/types.ts';
import { corpusDir } from '../foreign/support.ts';

const temp: string[] = [];
afterAll(() => {
  for (const dir of temp) fs.rmSync(dir, { recursive: true, force: true });
});

async function build(system: string): Promise<{ registry: Registry; site: string }> {
  const result = await loadProject(path.join(corpusDir, system));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const site = fs.mkdtempSync(path.join(os.tmpdir(), `eventkit-catalog-${system}-`));
  temp.push(site);
  await buildCatalog({ registry: result.registry, outDir: path.join(site, 'out'), workers: 0 });
  return { registry: result.registry, site: path.join(site, 'out') };
}

const read = (site: string, page: string): string => fs.readFileSync(path.join(site, page), 'utf8');

/** The drawn graph of a page: its size and node ids. */
function graphOf(html: string, id: string): { width: number; height: number; nodes: string[] } {
  const svg = new RegExp(`<svg class="graph" id="${id}" viewBox="0 0 (\\d+) (\\d+)"`).exec(html);
  if (!svg) throw new Error(`no graph ${id}`);
  const end = html.indexOf('</svg>', svg.index);
  const nodes = [...html.slice(svg.index, end).matchAll(/data-node="([^"]+)"/g)].map((m) =>
    (m[1] as string).replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
  );
  return { width: Number(svg[1]), height: Number(svg[2]), nodes };
}

describe('a service that sends 46 events (nats-telemetry-fanout)', async () => {
  const { registry, site } = await build('nats-telemetry-fanout');

  it('draws the flow with one grouped node per sender/receivers pair, listing and linking every event', () => {
    const html = read(site, urls.flow());
    const graph = graphOf(html, 'flow-graph');
    // Before grouping: 49 nodes in a 1,320 × 2,776 px graph.
    expect(graph.nodes).toEqual([
      'out:device-hub',
      'g:device-hub>alerting,archive',
      'g:device-hub>archive',
      'in:alerting',
      'in:archive',
    ]);
    expect(graph.height).toBeLessThan(300);
    expect(graph.width).toBeLessThan(1000);
    for (const e of registry.events) expect(html).toContain(`href="${urls.event(e.type)}"`);
    expect(html).toContain('href="flow.html#group-g-device-hub-alerting-archive"');
    expect(html).toContain('id="group-g-device-hub-alerting-archive"');
    expect(html).toMatch(/23 events<\/text>/);
  });

  it('groups the service neighbourhood the same way, linking to the list under it', () => {
    const html = read(site, urls.service('device-hub'));
    const graph = graphOf(html, 'neighbours-graph');
    expect(graph.nodes).toEqual([
      'self:device-hub',
      'out:group:alerting,archive',
      'out:group:archive',
      'down:alerting',
      'down:archive',
    ]);
    expect(graph.height).toBeLessThan(300);
    expect(html).toContain('23 events sent to alerting, archive');
    for (const e of registry.events) expect(html).toContain(`href="../${urls.event(e.type)}"`);
  });

  it('groups what a receiver gets from one sender (23 alarms) on its page too', () => {
    const html = read(site, urls.service('alerting'));
    const graph = graphOf(html, 'neighbours-graph');
    expect(graph.nodes.sort()).toEqual(['in:group:device-hub', 'self:alerting', 'up:device-hub']);
    expect(html).toContain('23 events received from device-hub');
  });

  it('leaves a fan-out of 12 or fewer events as single event nodes', async () => {
    const small = await build('nats-monorepo-contexts');
    const graph = graphOf(read(small.site, urls.flow()), 'flow-graph');
    expect(graph.nodes.filter((n) => n.startsWith('g:'))).toEqual([]);
    expect(graph.nodes.filter((n) => n.startsWith('e:'))).toHaveLength(small.registry.events.length);
  });

  it('draws every graph to fit its box: width follows the box, the svg keeps its aspect ratio', () => {
    const html = read(site, urls.flow());
    expect(html).toMatch(
      /<svg class="graph" id="flow-graph" viewBox="0 0 \d+ \d+" width="\d+" height="\d+" style="max-width:\d+px"/,
    );
    const css = read(site, 'assets/site.css');
    expect(css).toMatch(/\.graph \{[^}]*width: 100%;[^}]*height: auto;/);
    expect(css).toMatch(/\.graph-scroll \{[^}]*max-height: 80vh;/);
  });

  it('does not print a service id twice where its context has the same name', () => {
    const html = read(site, urls.service('device-hub'));
    const node =
      /<a href="[^"]*" class="node node--service node--focus" data-node="self:device-hub">([\s\S]*?)<\/a>/.exec(
        html,
      );
    expect(node?.[1]).toBeDefined();
    expect(node?.[1]?.match(/device-hub<\/text>/g)).toHaveLength(1);
  });
});

describe('"Download AsyncAPI" of a folder-per-service system is self-contained', () => {
  const systems = [
    ['nats-fulfilment-folders', 'warehouse'],
    ['shop-folders', 'orders'],
    ['iot-bridge-mqtt-kafka', 'bridge'],
    ['json-docs-schema-files', 'mailer'],
    ['ws-collab-folders', 'editor-web'],
  ] as const;

  it.each(systems)('%s: %s', async (system, serviceId) => {
    const { registry, site } = await build(system);
    const service = registry.services.find((s) => s.id === serviceId);
    if (!service) throw new Error(`no service ${serviceId}`);
    const file = urls.asyncapi(service.id, service.document.file);
    const text = read(site, file);
    const bundled = parseYaml(text) as unknown;
    // Every $ref points inside the file (or is remote) and resolves there.
    const refs: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        const ref = (value as { $ref?: unknown }).$ref;
        if (typeof ref === 'string') refs.push(ref);
        Object.values(value).forEach(walk);
      }
    };
    walk(bundled);
    for (const ref of refs) {
      expect(ref.startsWith('#/'), ref).toBe(true);
      let node: unknown = bundled;
      for (const token of ref.slice(2).split('/')) node = (node as Record<string, unknown>)[token];
      expect(node, ref).toBeDefined();
    }
    // The bundle alone, in a project of its own, reads as the same service sending and receiving the same events.
    const alone = fs.mkdtempSync(path.join(os.tmpdir(), 'eventkit-bundle-'));
    temp.push(alone);
    fs.mkdirSync(path.join(alone, 'asyncapi'));
    fs.writeFileSync(path.join(alone, 'asyncapi', path.basename(file)), text);
    fs.writeFileSync(
      path.join(alone, 'eventkit.config.json'),
      JSON.stringify({ conventions: { subjects: false, cloudEvents: false }, bufLint: false }),
    );
    const reloaded = await loadProject(alone);
    expect(reloaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const shape = (r: Registry, id: string) =>
      r.events
        .filter((e) => e.producer === id || e.consumers.includes(id))
        .map((e) => [
          e.name,
          e.channels.map((c) => c.address),
          e.payload.fields.map((f) => [f.name, f.type, f.description]),
        ])
        .sort();
    expect(shape(reloaded.registry, reloaded.registry.services[0]?.id ?? '')).toEqual(
      shape(registry, serviceId),
    );
  });

  it('copies a document without refs to other files as it is (comments and all)', async () => {
    const { registry, site } = await build('ws-ticker-anyof');
    const service = registry.services.find((s) => s.id === 'market-data');
    if (!service) throw new Error('no market-data');
    expect(read(site, urls.asyncapi(service.id, service.document.file))).toBe(
      fs.readFileSync(path.join(corpusDir, 'ws-ticker-anyof', service.document.file), 'utf8'),
    );
  });
});

describe("the protocol's own words on service pages", () => {
  it.each([
    ['kafka-orders', 'order-service', 'Topic'],
    ['amqp-billing', 'billing', 'Queue'],
    ['mqtt-fleet-nullable', 'vehicle-gateway', 'Topic'],
    ['ws-collab-folders', 'docs-server', 'Channel'],
    ['nats-fulfilment-folders', 'warehouse', 'Subject'],
  ])('%s: %s says %s', async (system, serviceId, word) => {
    const { site } = await build(system);
    const html = read(site, urls.service(serviceId));
    expect(html).toContain(`<th scope="col">${word}</th>`);
    if (word !== 'Subject')
      expect(html.replace(/<[^>]+>/g, ' ')).not.toMatch(/\bSubject\b|request\/reply|JetStream stream /);
  });
});

describe('pacts from the Pact ecosystem on the contracts page: the one pact reader decides the event', () => {
  it.each([
    [
      'pact-shapes',
      {
        'billing ← orders: an order placed message': 'orders.v1.OrderPlaced',
        'billing ← orders: a cancellation': 'orders.v1.OrderCancelled',
        'billing ← orders: a message the consumer needs': 'orders.v1.OrderCancelled',
      },
    ],
    [
      'pact-jvm-provider-states',
      {
        'payouts ← claims: ClaimSettled': 'claims.v1.ClaimSettled',
        'payouts ← claims: a new claim is filed': 'claims.v1.ClaimFiled',
      },
    ],
    [
      'pact-v4-cloudevents',
      {
        'rewards ← loyalty: points earned for a purchase': 'loyalty.v1.PointsEarned',
        'rewards ← loyalty: member promoted': 'loyalty.v1.TierChanged',
      },
    ],
  ])('%s', async (system, expected) => {
    const root = path.join(corpusDir, system);
    const { registry } = await loadProject(root);
    const inputs = readCatalogInputs(root, registry, {
      pacts: registry.config.output.pacts,
      results: registry.config.output.results,
    });
    const read = Object.fromEntries(
      inputs.contracts
        .filter((c) => registry.services.some((s) => s.id === c.consumer))
        .map((c) => [`${c.consumer} ← ${c.provider}: ${c.interaction}`, c.eventType]),
    );
    expect(read).toEqual(expected);
    // JSON text in `contents.content` is read as the JSON it holds (the fields the consumer relies on).
    const promoted = inputs.contracts.find((c) => c.interaction === 'member promoted');
    if (system === 'pact-v4-cloudevents') expect(promoted?.fieldsUsed).toEqual(['from', 'memberId', 'to']);
  });
});
