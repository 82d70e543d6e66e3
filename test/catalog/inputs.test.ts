// Contract inputs: Pact V4 files and verification results read from disk, merged per consumer and event.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCatalogContent } from '../../src/catalog/content.ts';
import { fieldPaths, readCatalogInputs, readPact } from '../../src/catalog/index.ts';
import { buildSiteModel } from '../../src/catalog/site-model.ts';
import { parsePactText } from '../../src/contracts/pact-file.ts';
import { writeSyntheticContracts } from '../../tools/synthetic/contracts.ts';
import { syntheticRegistry } from '../../tools/synthetic/registry.ts';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eventkit-catalog-inputs-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const paths = { pacts: 'contracts/pacts', results: 'contracts/verification-results.json' };

function write(rel: string, value: unknown): void {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
}

describe('fieldPaths', () => {
  it('lists leaf paths with [] for arrays, sorted and unique', () => {
    expect(
      fieldPaths({
        orderId: 'o',
        total: { units: '1', currencyCode: 'EUR' },
        items: [{ sku: 'a' }, { sku: 'b', quantity: 1 }],
        tags: [],
      }),
    ).toEqual(['items[].quantity', 'items[].sku', 'orderId', 'tags[]', 'total.currencyCode', 'total.units']);
  });
});

describe('readPact', () => {
  it('reads V4 message interactions with their metadata and body', () => {
    const messages = readPact(
      {
        consumer: { name: 'payments' },
        provider: { name: 'orders' },
        interactions: [
          {
            type: 'Asynchronous/Messages',
            description: 'an order was placed',
            contents: { content: { orderId: 'o', total: { units: '5' } }, contentType: 'application/json' },
            metadata: { 'ce-type': 'orders.v1.OrderPlaced' },
          },
          { type: 'Synchronous/HTTP', description: 'not an event', request: {}, response: {} },
        ],
        metadata: { pactSpecification: { version: '4.0' } },
      },
      'contracts/pacts/payments-orders.json',
    );
    expect(messages).toEqual([
      {
        consumer: 'payments',
        provider: 'orders',
        description: 'an order was placed',
        metadata: { 'ce-type': 'orders.v1.OrderPlaced' },
        body: { orderId: 'o', total: { units: '5' } },
        fieldsUsed: ['orderId', 'total.units'],
        file: 'contracts/pacts/payments-orders.json',
      },
    ]);
  });

  it('decodes base64 JSON bodies and reads V3 message pacts', () => {
    const body = Buffer.from(JSON.stringify({ a: { b: 1 } })).toString('base64');
    expect(
      readPact(
        {
          consumer: { name: 'c' },
          provider: { name: 'p' },
          interactions: [{ description: 'x', contents: { content: body, encoded: 'base64' } }],
        },
        'f',
      )[0]?.fieldsUsed,
    ).toEqual(['a.b']);
    expect(
      readPact(
        {
          consumer: { name: 'c' },
          provider: { name: 'p' },
          messages: [{ description: 'x', contents: { id: 1 } }],
        },
        'f',
      )[0]?.fieldsUsed,
    ).toEqual(['id']);
  });

  it('rejects documents without consumer and provider names', () => {
    expect(() => readPact({ interactions: [] }, 'f')).toThrow(/consumer\.name or provider\.name/);
  });
});

describe('readCatalogInputs', () => {
  const registry = syntheticRegistry({ services: 5, events: 20, consumersPerEvent: 2 });
  const placed = registry.events.find((e) => e.name === 'OrderPlaced');
  if (!placed?.producer) throw new Error('synthetic registry lacks OrderPlaced');
  const [first, second] = placed.consumers as [string, string];

  it('gives no contracts and no warnings when nothing is on disk', () => {
    expect(readCatalogInputs(root, registry, paths)).toEqual({
      contracts: [],
      canIDeploy: [],
      versionDiffs: [],
      warnings: [],
    });
  });

  it('merges pacts with results: verified, failing, unverified, and resolves the event from the description', () => {
    write(`contracts/pacts/${first}-orders.json`, {
      consumer: { name: first },
      provider: { name: 'orders' },
      interactions: [
        {
          type: 'Asynchronous/Messages',
          description: 'OrderPlaced is published',
          contents: { content: { orderId: 'o', customerId: 'c' } },
        },
      ],
    });
    write(`contracts/pacts/${second}-orders.json`, {
      consumer: { name: second },
      provider: { name: 'orders' },
      interactions: [
        {
          description: 'order placed',
          contents: { content: { orderId: 'o' } },
          metadata: { 'ce-type': placed.type },
        },
        {
          description: 'order paid',
          contents: { content: { orderId: 'o' } },
          metadata: { 'ce-type': 'orders.v1.OrderPaid' },
        },
      ],
    });
    write(paths.results, {
      results: [
        {
          consumer: first,
          provider: 'orders',
          interaction: 'OrderPlaced is published',
          status: 'passed',
          verifiedAt: '2026-11-01T00:00:00Z',
        },
        {
          consumer: second,
          provider: 'orders',
          interaction: 'order placed',
          status: 'verified',
          verifiedAt: '2026-11-01T00:00:00Z',
        },
        {
          consumer: second,
          provider: 'orders',
          interaction: 'order placed',
          status: 'failed',
          verifiedAt: '2026-11-02T00:00:00Z',
          failure: '$.orderId missing',
        },
      ],
      canIDeploy: [{ service: 'orders', deployable: false, reasons: [`${second} fails`] }],
    });
    const inputs = readCatalogInputs(root, registry, paths);
    expect(inputs.warnings).toEqual([]);
    expect(inputs.canIDeploy).toEqual([
      { service: 'orders', deployable: false, reasons: [`${second} fails`] },
    ]);
    const byKey = new Map(inputs.contracts.map((c) => [`${c.consumer}/${c.interaction}`, c]));
    expect(byKey.get(`${first}/OrderPlaced is published`)).toMatchObject({
      eventType: placed.type,
      status: 'verified',
      fieldsUsed: ['customerId', 'orderId'],
    });
    // The latest run wins.
    expect(byKey.get(`${second}/order placed`)).toMatchObject({
      status: 'failing',
      failure: '$.orderId missing',
    });
    expect(byKey.get(`${second}/order paid`)).toMatchObject({
      eventType: 'orders.v1.OrderPaid',
      status: 'unverified',
    });

    const site = buildSiteModel(registry, readCatalogContent(root), inputs);
    const subs = site.subscriptions.get(placed.type) ?? [];
    expect(subs.find((s) => s.consumer === first)?.status).toBe('verified');
    expect(subs.find((s) => s.consumer === second)?.status).toBe('failing');
  });

  it("reads the contracts module's results matrix: only verifications of the pact content on disk count", () => {
    const pact = (extra: string) => ({
      consumer: { name: first },
      provider: { name: 'orders' },
      interactions: [
        {
          type: 'Asynchronous/Messages',
          description: `placed${extra}`,
          contents: { content: { orderId: 'o' } },
          metadata: { 'ce-type': placed.type },
        },
        {
          type: 'Asynchronous/Messages',
          description: 'paid',
          contents: { content: { orderId: 'o' } },
          metadata: { 'ce-type': 'orders.v1.OrderPaid' },
        },
      ],
      metadata: { pactSpecification: { version: '4.0' } },
    });
    const file = `contracts/pacts/${first}-orders.json`;
    write(file, pact(''));
    const sha = parsePactText(fs.readFileSync(path.join(root, file), 'utf8'), file).sha256;
    const matrix = {
      schemaVersion: 1,
      pacts: [
        {
          consumer: first,
          consumerVersion: 'abc',
          provider: 'orders',
          pactSha256: sha,
          file,
          interactions: 2,
        },
      ],
      verifications: [
        {
          provider: 'orders',
          providerVersion: 'abc',
          consumer: first,
          consumerVersion: 'abc',
          pactSha256: sha,
          success: false,
          interactions: 2,
          failed: 1,
          failures: [{ description: 'paid', field: '$.orderId', message: 'missing' }],
        },
      ],
    };
    write(paths.results, matrix);
    let inputs = readCatalogInputs(root, registry, paths);
    expect(inputs.warnings).toEqual([]);
    expect(inputs.contracts.map((c) => [c.interaction, c.status, c.failure])).toEqual([
      ['placed', 'verified', undefined],
      ['paid', 'failing', '$.orderId: missing'],
    ]);
    expect(inputs.canIDeploy.find((c) => c.service === 'orders')).toMatchObject({
      version: 'abc',
      deployable: false,
    });
    // The consumer changed its pact after the verification: nothing is verified for the new content.
    write(file, pact(' (changed)'));
    inputs = readCatalogInputs(root, registry, paths);
    expect(inputs.contracts.map((c) => c.status)).toEqual(['unverified', 'unverified']);
  });

  it('turns broken files into warnings that name the file, and keeps going', () => {
    write('contracts/pacts/broken.json', '{ not json');
    write('contracts/pacts/wrong.json', { interactions: [] });
    write(paths.results, { results: [{ consumer: 'x' }] });
    const inputs = readCatalogInputs(root, registry, paths);
    expect(inputs.contracts).toEqual([]);
    expect(inputs.warnings.map((w) => w.file)).toEqual([
      'contracts/pacts/broken.json',
      'contracts/pacts/wrong.json',
      paths.results,
    ]);
    expect(inputs.warnings[0]?.message).toMatch(/cannot read it as JSON/);
  });

  it('reads what the synthetic contracts writer produces, for every pact it wrote', () => {
    const written = writeSyntheticContracts(registry, root, { coverage: 1, failing: 0.2, unverified: 0.2 });
    const inputs = readCatalogInputs(root, registry, paths);
    expect(inputs.warnings).toEqual([]);
    expect(inputs.contracts).toHaveLength(written.interactions);
    const failing = inputs.contracts
      .filter((c) => c.status === 'failing')
      .map((c) => `${c.consumer}/${c.eventType}`)
      .sort();
    expect(failing).toEqual(written.failing.map((f) => `${f.consumer}/${f.eventType}`).sort());
    for (const c of inputs.contracts)
      expect(c.fieldsUsed).toContain(
        registry.events.find((e) => e.type === c.eventType)?.partitionKey?.field,
      );
  });
});
