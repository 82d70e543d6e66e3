// The repository's own contracts (asyncapi/*.yaml + contracts/proto) lint clean, buf included, and load
// into the registry the reference system is built from.
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/model/index.ts';
import type { Diagnostic } from '../../src/model/types.ts';
import { repoRoot, runCli } from './run-cli.ts';

describe('the repository contracts', () => {
  it('eventkit lint exits 0 with no errors (buf lint included)', async () => {
    const run = await runCli(['-C', repoRoot, 'lint', '--json']);
    const output = JSON.parse(run.stdout) as {
      diagnostics: Diagnostic[];
      summary: { errors: number; services: number };
    };
    expect(output.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(run.code).toBe(0);
    expect(output.summary.services).toBe(5);
  });

  it('loads the reference services, events, streams and consumers', async () => {
    const { registry, diagnostics } = await loadProject(repoRoot);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(registry.services.map((s) => s.id)).toEqual([
      'inventory',
      'notifications',
      'orders',
      'payments',
      'stores',
    ]);
    const types = registry.events.filter((e) => e.kind === 'event').map((e) => e.type);
    for (const type of [
      'orders.v1.OrderPlaced',
      'orders.v1.OrderPaid',
      'orders.v1.OrderCompleted',
      'orders.v1.OrderCancelled',
      'payments.v1.PaymentApproved',
      'payments.v1.PaymentDeclined',
      'payments.v1.PaymentRefunded',
      'inventory.v1.StockReserved',
      'inventory.v1.StockReservationFailed',
      'stores.v1.StoreCreated',
      'stores.v1.ProductAdded',
      'stores.v1.ProductPriceChanged',
      'stores.v1.ProductRemoved',
    ]) {
      expect(types).toContain(type);
    }
    const placed = registry.events.find((e) => e.type === 'orders.v1.OrderPlaced');
    expect(placed?.producer).toBe('orders');
    expect(placed?.consumers).toEqual(['notifications']);
    expect(placed?.deprecated).toBe(true);
    expect(placed?.subjectFilter).toBe('orders.order-placed.v1.>');
    const placedV2 = registry.events.find((e) => e.type === 'orders.v2.OrderPlaced');
    expect(placedV2).toMatchObject({
      producer: 'orders',
      consumers: ['payments'],
      stream: 'ORDERS',
      major: 2,
    });
    expect(placed?.stream).toBe('ORDERS');
    expect(placed?.payload.kind).toBe('protobuf');
    const getOrder = registry.events.find((e) => e.type === 'orders.v1.GetOrder');
    expect(getOrder?.kind).toBe('query');
    expect(getOrder?.stream).toBeUndefined();
    expect(getOrder?.replyType).toBeDefined();
    expect(registry.streams.map((s) => s.name)).toEqual([
      'INVENTORY',
      'NOTIFICATIONS',
      'ORDERS',
      'PAYMENTS',
      'STORES',
    ]);
    for (const stream of registry.streams) {
      for (const subject of stream.subjects)
        expect(subject.startsWith('cmd.') || subject.startsWith('query.')).toBe(false);
    }
    const durables = registry.operations.filter((o) => o.durable).map((o) => o.durable);
    // Migration window of OrderPlaced: payments reads v2, notifications still reads v1.
    expect(durables).toContain('payments--order-placed-v2');
    expect(durables).toContain('notifications--order-placed-v1');
    expect(durables).not.toContain('payments--order-placed-v1');
    expect(new Set(durables).size).toBe(durables.length);
  });
});
