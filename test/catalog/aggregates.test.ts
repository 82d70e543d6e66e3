// The service page lists event-sourced aggregates and their private events apart from integration events.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/index.ts';
import { urls } from '../../src/catalog/urls.ts';
import type { AggregateModel, Registry } from '../../src/model/types.ts';
import { syntheticRegistry } from '../../tools/synthetic/registry.ts';

let root: string;
let registry: Registry;
const page = (service: string) => fs.readFileSync(path.join(root, 'site', urls.service(service)), 'utf8');

const cart: AggregateModel = {
  name: 'Cart',
  description: 'A cart <script>alert(1)</script>',
  events: [
    {
      type: 'shop.es.v1.ItemAdded',
      name: 'ItemAdded',
      description: 'An item went in.',
      protoFile: 'proto/shop/es/v1/cart.proto',
      fields: [
        {
          name: 'productId',
          protoName: 'product_id',
          number: 1,
          type: 'string',
          kind: 'scalar',
          repeated: false,
          required: false,
        },
      ],
      location: { file: 'proto/shop/es/v1/cart.proto', line: 3, column: 1 },
    },
  ],
  location: { file: 'asyncapi/a.yaml', line: 5, column: 3 },
};

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eventkit-catalog-aggregates-'));
  const base = syntheticRegistry({ services: 3, events: 6, consumersPerEvent: 1, root });
  registry = { ...base, services: base.services.map((s, i) => (i === 0 ? { ...s, aggregates: [cart] } : s)) };
  await buildCatalog({ registry, root, outDir: 'site' });
}, 60_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('event-sourced aggregates in the catalog', () => {
  it("are listed on their service's page as private, with their events and fields", () => {
    const html = page(registry.services[0]?.id as string);
    expect(html).toContain('Event-sourced aggregates (1)');
    expect(html).toMatch(/Cart <span class="badge badge--neutral">private<\/span>/);
    expect(html).toContain('<code>shop.es.v1.ItemAdded</code>');
    expect(html).toContain('productId');
    expect(html).toContain('A cart &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
  });

  it('are not integration events: no event page, nothing on other services', () => {
    expect(fs.existsSync(path.join(root, 'site', urls.event('shop.es.v1.ItemAdded')))).toBe(false);
    expect(page(registry.services[1]?.id as string)).not.toContain('Event-sourced aggregates');
  });
});
