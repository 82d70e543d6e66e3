// Provider verification of the committed reference pacts against a deliberately broken orders producer:
// the report must name the consumer, the interaction, the field and why.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatVerification, readPactFile, verifyPact } from '../../src/contracts/index.ts';
import { createBrokenOrdersContract } from './fixtures/broken-orders.provider.ts';
import { repoRoot } from './support/consumer-pacts.ts';

const broken = await createBrokenOrdersContract();
afterAll(async () => {
  await broken.close?.();
});

describe('a producer that drops a field a consumer uses', () => {
  it('fails verification of payments ← orders at $.total and leaves the other interactions passing', async () => {
    const pact = await readPactFile(path.join(repoRoot, 'contracts/pacts/payments-orders.json'), repoRoot);
    const result = await verifyPact(pact, broken, { providerVersion: 'broken' });
    expect(result.success).toBe(false);
    const placed = result.interactions.find((i) => i.description === 'an order was placed');
    expect(placed).toMatchObject({
      consumer: 'payments',
      provider: 'orders',
      eventType: 'orders.v2.OrderPlaced',
      success: false,
    });
    expect(placed?.failures).toEqual([
      { field: '$.total', message: 'the provider no longer sends $.total, which the consumer relies on' },
    ]);
    expect(result.interactions.find((i) => i.description === 'a paid order was cancelled')?.success).toBe(
      true,
    );
    const report = formatVerification(result.interactions);
    expect(report).toMatch(
      /✗ orders → payments: an order was placed {2}\(contracts\/pacts\/payments-orders\.json:\d+\)\n {4}\$\.total: the provider no longer sends \$\.total, which the consumer relies on\n/,
    );
    expect(report).toContain('✓ orders → payments: a paid order was cancelled');
  });
});

describe('cross-check of the committed reference pacts against the AsyncAPI documents', async () => {
  const { loadConfig, loadRegistry } = await import('../../src/model/index.ts');
  const { crossCheck, readPactDir } = await import('../../src/contracts/index.ts');
  const { registry } = await loadRegistry((await loadConfig(repoRoot)).config);
  const { pacts, errors } = await readPactDir(path.join(repoRoot, 'contracts/pacts'), repoRoot);

  it('is clean and covers every received event', () => {
    expect(errors).toEqual([]);
    const result = crossCheck(registry, pacts);
    expect(result.diagnostics).toEqual([]);
    expect(result.coverage.covered).toBe(result.coverage.total);
    expect(result.interactions).toBeGreaterThanOrEqual(14);
  });

  it('fails an example body that does not fit the JSON-view schema', () => {
    const wrongType = pacts.map((p) =>
      p.file.endsWith('payments-orders.json')
        ? {
            ...p,
            pact: {
              ...p.pact,
              interactions: p.pact.interactions.map((i) => ({
                ...i,
                contents: { ...i.contents, content: { ...(i.contents.content as object), orderId: 42 } },
              })),
            },
          }
        : p,
    );
    const schema = crossCheck(registry, wrongType).diagnostics.filter(
      (d) => d.ruleId === 'contract-body-schema',
    );
    expect(schema.map((d) => d.message)).toEqual([
      'payments ← orders "a paid order was cancelled": example body $.orderId must be string',
      'payments ← orders "an order was placed": example body $.orderId must be string',
    ]);
  });

  it('fails when the spec renames a subject the pacts use', () => {
    const renamed = {
      ...registry,
      events: registry.events.map((e) =>
        e.type === 'orders.v2.OrderPlaced'
          ? {
              ...e,
              subjectPattern: 'orders.order-submitted.v2.{orderId}',
              channels: e.channels.map((c) => ({ ...c, address: 'orders.order-submitted.v2.{orderId}' })),
            }
          : e,
      ),
    };
    const subjects = crossCheck(renamed, pacts).diagnostics.filter((d) => d.ruleId === 'contract-subject');
    expect(subjects.map((d) => d.message)).toEqual([
      'payments ← orders "an order was placed": subject orders.order-placed.v2.ord_42 does not match the channel address orders.order-submitted.v2.{orderId}',
    ]);
    expect(subjects[0]?.location?.file).toBe('contracts/pacts/payments-orders.json');
  });

  it('fails when a consumer expects a field the spec no longer has', () => {
    const dropped = {
      ...registry,
      events: registry.events.map((e) =>
        e.type === 'orders.v2.OrderPlaced' && e.payload.kind === 'protobuf'
          ? {
              ...e,
              payload: {
                ...e.payload,
                fields: e.payload.fields.filter((f) => f.name !== 'paymentMethodId'),
                jsonSchema: {
                  ...e.payload.jsonSchema,
                  additionalProperties: false,
                  properties: withoutKey(e.payload.jsonSchema.properties, 'paymentMethodId'),
                },
              },
            }
          : e,
      ),
    };
    const unknown = crossCheck(dropped, pacts).diagnostics.filter(
      (d) => d.ruleId === 'contract-unknown-field',
    );
    expect(unknown.map((d) => d.message)).toEqual([
      'payments ← orders "an order was placed": the consumer expects $.paymentMethodId, which orders.v2.OrderPlaced does not have',
    ]);
  });
});

function withoutKey(properties: unknown, key: string): Record<string, unknown> {
  const { [key]: _removed, ...rest } = (properties ?? {}) as Record<string, unknown>;
  return rest;
}
