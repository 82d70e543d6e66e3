// Event-sourced aggregates in `info.x-eventkit-aggregates`: read into the registry apart from integration
// events, with file:line diagnostics for what is wrong.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject, serviceById } from '../../src/model/index.ts';
import { repoRoot } from './run-cli.ts';

const temp: string[] = [];
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

/** The mini shop with extra protos and an `x-eventkit-aggregates` block (YAML) in shop's info. */
function miniShopWith(aggregatesYaml: string, proto = ''): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'eventkit-aggregates-'));
  temp.push(dir);
  cpSync(path.join(repoRoot, 'test/lint/fixtures/mini-shop'), dir, { recursive: true });
  const shop = path.join(dir, 'asyncapi/shop.yaml');
  const text = readFileSync(shop, 'utf8').replace(
    '  x-eventkit-service: shop\n',
    `  x-eventkit-service: shop\n  x-eventkit-aggregates:\n${aggregatesYaml}`,
  );
  writeFileSync(shop, text);
  if (proto) writeFileSync(path.join(dir, 'proto/shop/v1/cart_events.proto'), proto);
  return dir;
}

const cartProto = `syntax = "proto3";
package shop.v1;
// An item went into the cart.
message ItemAdded {
  // The product.
  string product_id = 1;
  int32 quantity = 2;
}
`;

describe('x-eventkit-aggregates', () => {
  it('the reference orders service declares its event-sourced Order with four private events', async () => {
    const { registry, diagnostics } = await loadProject(repoRoot);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const orders = serviceById(registry, 'orders');
    expect(orders?.aggregates?.map((a) => a.name)).toEqual(['Order']);
    const order = orders?.aggregates?.[0];
    expect(order?.events.map((e) => e.type)).toEqual([
      'orders.es.v1.OrderPlaced',
      'orders.es.v1.OrderPaid',
      'orders.es.v1.OrderCompleted',
      'orders.es.v1.OrderCancelled',
    ]);
    expect(order?.events[1]?.fields.map((f) => f.name)).toEqual(['paymentId', 'at']);
    expect(order?.events[0]?.protoFile).toBe('contracts/proto/orders/es/v1/order_events.proto');
    // Private: none of them is an integration event.
    for (const e of order?.events ?? []) expect(registry.events.some((x) => x.type === e.type)).toBe(false);
  });

  it('reads an aggregate with its fields and proto comment', async () => {
    const dir = miniShopWith(
      '    Cart:\n      description: A shopping cart.\n      events: [shop.v1.ItemAdded]\n',
      cartProto,
    );
    const { registry, diagnostics } = await loadProject(dir);
    expect(diagnostics).toEqual([]);
    expect(serviceById(registry, 'shop')?.aggregates).toMatchObject([
      {
        name: 'Cart',
        description: 'A shopping cart.',
        events: [{ type: 'shop.v1.ItemAdded', description: 'An item went into the cart.' }],
        location: { file: 'asyncapi/shop.yaml', line: 7 },
      },
    ]);
  });

  it('an unknown proto message is proto-not-found at its line', async () => {
    const dir = miniShopWith('    Cart:\n      events:\n        - shop.v1.Nope\n');
    const { diagnostics } = await loadProject(dir);
    expect(diagnostics).toMatchObject([
      {
        ruleId: 'proto-not-found',
        severity: 'error',
        message: expect.stringContaining('"shop.v1.Nope" of aggregate Cart'),
        location: { file: 'asyncapi/shop.yaml', line: 9 },
      },
    ]);
  });

  it('an aggregate name that is not a type name, and one without events, are eventkit-extension errors', async () => {
    const dir = miniShopWith('    ../cart:\n      events: [shop.v1.ItemAdded]\n    Basket: {}\n', cartProto);
    const { diagnostics } = await loadProject(dir);
    expect(diagnostics.map((d) => [d.ruleId, d.message, d.location?.line])).toEqual([
      ['eventkit-extension', 'aggregate name "../cart" is not a type name', 7],
      ['eventkit-extension', 'aggregate Basket needs events: a list of proto message names', 9],
    ]);
  });

  it('an event-sourcing event that is also published is an error: private state would leak', async () => {
    const dir = miniShopWith('    Order:\n      events: [shop.v1.OrderPlaced]\n');
    const { diagnostics } = await loadProject(dir);
    expect(diagnostics).toMatchObject([
      {
        ruleId: 'aggregate-event-published',
        severity: 'error',
        message:
          "shop.v1.OrderPlaced is an event-sourcing event of shop's Order and also an integration event",
        location: { file: 'proto/shop/v1/events.proto' },
      },
    ]);
  });
});
