// Version diffs: what changed between two majors of an event, and whether consumers feel it.
import { describe, expect, it } from 'vitest';
import { diffVersions } from '../../src/catalog/index.ts';
import type { FieldModel } from '../../src/model/types.ts';

const f = (name: string, type: string, extra: Partial<FieldModel> = {}): FieldModel => ({
  name,
  kind: 'scalar',
  type,
  repeated: false,
  required: false,
  ...extra,
});

describe('diffVersions', () => {
  it('classifies removals and type changes as breaking, additions as safe', () => {
    const v1 = [
      f('orderId', 'string', { number: 1 }),
      f('note', 'string', { number: 2 }),
      f('quantity', 'int32', { number: 3 }),
    ];
    const v2 = [
      f('orderId', 'string', { number: 1 }),
      f('quantity', 'int64', { number: 3 }),
      f('channel', 'string', { number: 4 }),
    ];
    const diff = diffVersions('orders.v1.X', v1, 'orders.v2.X', v2);
    expect(diff.class).toBe('breaking');
    expect(diff.changes).toEqual([
      { path: 'note', kind: 'removed', from: 'string', breaking: true },
      { path: 'quantity', kind: 'type-changed', from: 'int32', to: 'int64', breaking: true },
      { path: 'channel', kind: 'added', to: 'string', breaking: false },
    ]);
  });

  it('is non-breaking for additions and new enum values, and ignores the package version in type names', () => {
    const status = (values: string[]): FieldModel =>
      f('status', 'orders.v1.Status', {
        kind: 'enum',
        enumValues: values.map((name, number) => ({ name, number })),
      });
    const v1 = [
      status(['UNSPECIFIED', 'OPEN']),
      f('items', 'orders.v1.Line', { kind: 'message', repeated: true, fields: [f('sku', 'string')] }),
    ];
    const v2 = [
      { ...status(['UNSPECIFIED', 'OPEN', 'CLOSED']), type: 'orders.v2.Status' },
      f('items', 'orders.v2.Line', {
        kind: 'message',
        repeated: true,
        fields: [f('sku', 'string'), f('note', 'string')],
      }),
    ];
    const diff = diffVersions('orders.v1.X', v1, 'orders.v2.X', v2);
    expect(diff.class).toBe('non-breaking');
    expect(diff.changes).toEqual([
      { path: 'status', kind: 'enum-value-added', to: 'CLOSED', breaking: false },
      { path: 'items[].note', kind: 'added', to: 'string', breaking: false },
    ]);
  });

  it('flags renumbered, re-cardinalised and removed enum values', () => {
    const diff = diffVersions(
      'a.v1.X',
      [
        f('a', 'string', { number: 1 }),
        f('b', 'string'),
        f('c', 'a.v1.E', { kind: 'enum', enumValues: [{ name: 'X' }, { name: 'Y' }] }),
      ],
      'a.v2.X',
      [
        f('a', 'string', { number: 2 }),
        f('b', 'string', { repeated: true }),
        f('c', 'a.v2.E', { kind: 'enum', enumValues: [{ name: 'X' }] }),
      ],
    );
    expect(diff.changes.map((c) => `${c.path}:${c.kind}`)).toEqual([
      'a:number-changed',
      'b:cardinality-changed',
      'c:enum-value-removed',
    ]);
    expect(diff.class).toBe('breaking');
  });
});
