// The human report: grouped by event, one row per change, message and fix underneath, verdict last.
import { describe, expect, it } from 'vitest';
import { compareProjects, formatReport, reportToDiagnostics } from '../../src/compat/index.ts';
import { event, registry } from './registry-builder.ts';

describe('formatReport', () => {
  it('groups by event and shows class, change, location, consumers, deploy order and fix', async () => {
    const placed = event({
      type: 'orders.v1.OrderPlaced',
      producer: 'orders',
      consumers: ['payments'],
      field: 'orderId',
    });
    const moved = { ...placed, subjectPattern: 'orders.placed.v1.{orderId}' };
    const added = event({ type: 'stores.v1.StoreCreated', producer: 'stores' });
    const { report } = await compareProjects({
      base: { label: 'git:main@abc1234', root: '/x', registry: registry({ events: [placed] }) },
      head: { label: 'head', root: '/y', registry: registry({ events: [moved, added] }) },
      skipBuf: true,
      pacts: [],
    });
    const text = formatReport(report);
    expect(text.split('\n').slice(0, 8)).toEqual([
      'eventkit breaking: head against git:main@abc1234',
      '',
      'orders.v1.OrderPlaced',
      '  class     change                   location                  affected consumers  deploy',
      '  BREAKING  channel-address-changed  asyncapi/orders.yaml:1:1  payments            new major',
      '      channel address changed: `orders.order-placed.v1.{orderId}` → `orders.placed.v1.{orderId}`; consumers filtering `orders.order-placed.v1.>` stop receiving it',
      '      fix: publish a new major version side by side: `orders.v2.OrderPlaced` on `orders.order-placed.v2.{orderId}`; keep publishing v1 until no consumer receives it',
      '',
    ]);
    expect(text).toContain('stores.v1.StoreCreated');
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'NOT compatible: 1 breaking (1 error, 0 warnings), 1 non-breaking, 2 events changed',
    );
    expect(formatReport(report, { showNonBreaking: false })).not.toContain('stores.v1.StoreCreated');

    const diagnostics = reportToDiagnostics(report);
    expect(diagnostics[0]).toMatchObject({
      ruleId: 'channel-address-changed',
      severity: 'error',
      location: { file: 'asyncapi/orders.yaml', line: 1, column: 1 },
      hint: expect.stringContaining('orders.v2.OrderPlaced'),
    });
    expect(diagnostics[0]?.message).toMatch(
      /^orders\.v1\.OrderPlaced: channel address changed.*\(consumers: payments\)$/,
    );
    expect(diagnostics.map((d) => d.severity)).toEqual(['error', 'info']);
  });
});
