// version-retirable: an old major with a newer one next to it is retirable once nobody consumes it; while both
// are consumed, an info note names who still reads the old one. Real projects loaded from disk.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject, runDesignRules } from '../../src/model/index.ts';
import type { Diagnostic } from '../../src/model/types.ts';
import { repoRoot } from './run-cli.ts';

const fixture = path.join(repoRoot, 'test/fixtures/bad/version-retirable-as-error');
const temp: string[] = [];
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

async function retirable(dir: string): Promise<Diagnostic[]> {
  const { registry, diagnostics } = await loadProject(dir, {});
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return runDesignRules(registry).filter((d) => d.ruleId === 'version-retirable');
}

/** A copy of the fixture with billing's document rewritten. */
function variant(billing: (text: string) => string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'eventkit-retirable-'));
  temp.push(dir);
  cpSync(fixture, dir, { recursive: true });
  const file = path.join(dir, 'asyncapi/billing.yaml');
  writeFileSync(file, billing(readFileSync(file, 'utf8')));
  return dir;
}

const receiveV1 = (text: string) =>
  `${text.replace(
    'channels:\n',
    `channels:
  orderPlacedV1:
    address: shop.order-placed.v1.{orderId}
    parameters:
      orderId:
        description: The order id.
    messages:
      OrderPlaced:
        $ref: './shop.yaml#/components/messages/OrderPlacedV1'
`,
  )}  onOrderPlaced:
    action: receive
    channel:
      $ref: '#/channels/orderPlacedV1'
    messages:
      - $ref: '#/channels/orderPlacedV1/messages/OrderPlaced'
`;

describe('version-retirable', () => {
  it('warns at the old send operation when the newer major took over every consumer', async () => {
    const found = await retirable(fixture);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'warning',
      location: { file: 'asyncapi/shop.yaml', line: 25 },
    });
    expect(found[0]?.message).toBe(
      'shop.v1.OrderPlaced has a newer major (shop.v2.OrderPlaced) and no consumers left: it can be retired',
    );
  });

  it('notes (info) who still reads the old major while both are consumed', async () => {
    const found = await retirable(variant(receiveV1));
    expect(found.map((d) => [d.severity, d.message])).toEqual([
      [
        'info',
        'shop.v1.OrderPlaced and shop.v2.OrderPlaced are both consumed; shop.v1.OrderPlaced is still read by billing',
      ],
    ]);
    expect(found[0]?.hint).toContain('Move billing to shop.v2.OrderPlaced');
  });

  it('says nothing while the new major has no consumer yet (the migration has not started)', async () => {
    const onlyV1 = (text: string) =>
      receiveV1(text)
        .replace(/ {2}onOrderPlacedV2:\n(?: {4}.*\n)+/, '')
        .replace(/ {2}orderPlacedV2:\n(?: {4}.*\n)+/, '');
    const dir = variant(onlyV1);
    expect(readFileSync(path.join(dir, 'asyncapi/billing.yaml'), 'utf8')).not.toContain('V2');
    expect(await retirable(dir)).toEqual([]);
  });

  it('on the repository: OrderPlaced v1 (notifications) and v2 (payments) side by side is an info note only', async () => {
    const { registry } = await loadProject(repoRoot, {});
    const found = runDesignRules(registry).filter((d) => d.ruleId === 'version-retirable');
    expect(found.map((d) => [d.severity, d.location?.file, d.message])).toEqual([
      [
        'info',
        'asyncapi/orders.yaml',
        'orders.v1.OrderPlaced and orders.v2.OrderPlaced are both consumed; orders.v1.OrderPlaced is still read by notifications',
      ],
    ]);
  });

  it('says nothing about an event with a single major', async () => {
    const { registry } = await loadProject(path.join(repoRoot, 'test/lint/fixtures/mini-shop'), {});
    expect(runDesignRules(registry).filter((d) => d.ruleId === 'version-retirable')).toEqual([]);
  });
});
