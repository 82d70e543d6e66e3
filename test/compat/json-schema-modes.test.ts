// JSON Schema payload evolution: directions of each difference, the open-content-model trap, and the
// per-event modes BACKWARD / FORWARD / FULL and their transitive forms.
import { describe, expect, it } from 'vitest';
import { type Change, compareProjects, diffSchemas, isCompatError } from '../../src/compat/index.ts';
import type { JsonSchema, Registry } from '../../src/model/types.ts';
import { event, registry } from './registry-builder.ts';

const closed = (properties: Record<string, unknown>, required: string[] = []): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});
const open = (properties: Record<string, unknown>, required: string[] = []): JsonSchema => ({
  type: 'object',
  required,
  properties,
});
const str = { type: 'string' };

function directions(oldSchema: JsonSchema, newSchema: JsonSchema) {
  return diffSchemas(oldSchema, newSchema).map((d) => ({
    rule: d.ruleId,
    field: d.fieldPath,
    backward: d.backward,
    forward: d.forward,
  }));
}

describe('diffSchemas directions', () => {
  it('open content model trap: adding an optional typed property is NOT backward compatible', () => {
    expect(directions(open({ id: str }), open({ id: str, note: str }))).toEqual([
      { rule: 'jsonschema/property-added', field: 'note', backward: false, forward: true },
    ]);
  });

  it('closed content model: adding an optional property is backward but not forward compatible', () => {
    expect(directions(closed({ id: str }), closed({ id: str, note: str }))).toEqual([
      { rule: 'jsonschema/property-added', field: 'note', backward: true, forward: false },
    ]);
  });

  it('closed content model: removing a property is not backward compatible (old messages carry it)', () => {
    expect(directions(closed({ id: str, note: str }), closed({ id: str }))).toEqual([
      { rule: 'jsonschema/property-removed', field: 'note', backward: false, forward: true },
    ]);
  });

  it('open content model: removing an optional typed property is backward compatible but not forward', () => {
    expect(directions(open({ id: str, note: str }), open({ id: str }))).toEqual([
      { rule: 'jsonschema/property-removed', field: 'note', backward: true, forward: false },
    ]);
  });

  it('open content model: adding or removing an any-value property is fully compatible', () => {
    expect(directions(open({ id: str }), open({ id: str, extra: { description: 'anything' } }))).toEqual([
      { rule: 'jsonschema/property-added', field: 'extra', backward: true, forward: true },
    ]);
  });

  it('removing a required property breaks old readers', () => {
    expect(directions(open({ id: str, note: str }, ['note']), open({ id: str }))).toEqual([
      { rule: 'jsonschema/property-removed', field: 'note', backward: true, forward: false },
    ]);
  });

  it('required added / removed', () => {
    expect(directions(closed({ id: str }), closed({ id: str }, ['id']))).toEqual([
      { rule: 'jsonschema/property-made-required', field: 'id', backward: false, forward: true },
    ]);
    expect(directions(closed({ id: str }, ['id']), closed({ id: str }))).toEqual([
      { rule: 'jsonschema/property-made-optional', field: 'id', backward: true, forward: false },
    ]);
    expect(directions(closed({ id: str }), closed({ id: str, sku: str }, ['sku']))).toEqual([
      { rule: 'jsonschema/required-property-added', field: 'sku', backward: false, forward: false },
    ]);
  });

  it('type widening integer → number is backward only; narrowing is forward only', () => {
    expect(directions(closed({ n: { type: 'integer' } }), closed({ n: { type: 'number' } }))).toEqual([
      { rule: 'jsonschema/type-changed', field: 'n', backward: true, forward: false },
    ]);
    expect(directions(closed({ n: { type: 'number' } }), closed({ n: { type: 'integer' } }))).toEqual([
      { rule: 'jsonschema/type-changed', field: 'n', backward: false, forward: true },
    ]);
    expect(
      directions(closed({ n: { type: 'string' } }), closed({ n: { type: 'integer' } }))[0],
    ).toMatchObject({
      backward: false,
      forward: false,
    });
  });

  it('enum values added / removed, nested in array items', () => {
    const lines = (values: string[]) =>
      closed({ lines: { type: 'array', items: closed({ status: { type: 'string', enum: values } }) } });
    expect(directions(lines(['A', 'B']), lines(['A', 'B', 'C']))).toEqual([
      { rule: 'jsonschema/enum-value-added', field: 'lines[].status', backward: true, forward: false },
    ]);
    expect(directions(lines(['A', 'B']), lines(['A']))).toEqual([
      { rule: 'jsonschema/enum-value-removed', field: 'lines[].status', backward: false, forward: true },
    ]);
  });

  it('constraints tightened / loosened', () => {
    expect(
      directions(
        closed({ s: { type: 'string', maxLength: 10 } }),
        closed({ s: { type: 'string', maxLength: 5 } }),
      ),
    ).toEqual([{ rule: 'jsonschema/constraint-tightened', field: 's', backward: false, forward: true }]);
    expect(
      directions(closed({ s: { type: 'string', pattern: '^a' } }), closed({ s: { type: 'string' } })),
    ).toEqual([{ rule: 'jsonschema/constraint-loosened', field: 's', backward: true, forward: false }]);
  });

  it('closing an open content model is forward only; opening a closed one is backward only', () => {
    expect(directions(open({ id: str }), closed({ id: str }))).toEqual([
      { rule: 'jsonschema/content-model-closed', field: '', backward: false, forward: true },
    ]);
    expect(directions(closed({ id: str }), open({ id: str }))).toEqual([
      { rule: 'jsonschema/content-model-opened', field: '', backward: true, forward: false },
    ]);
  });

  it('partially open model (additionalProperties schema): adding a property that fits is compatible both ways', () => {
    const partial = (props: Record<string, unknown>) => ({
      type: 'object',
      properties: props,
      additionalProperties: str,
    });
    expect(directions(partial({ id: str }), partial({ id: str, note: str }))).toEqual([
      { rule: 'jsonschema/property-added', field: 'note', backward: true, forward: true },
    ]);
    expect(directions(partial({ id: str }), partial({ id: str, n: { type: 'integer' } }))[0]).toMatchObject({
      backward: false,
      forward: false,
    });
  });
});

function jsonEventRegistry(schema: JsonSchema, mode?: string): Registry {
  const ev = event({
    type: 'stores.v1.StoreCreated',
    producer: 'stores',
    consumers: ['orders'],
    jsonSchema: schema,
    field: 'storeId',
  });
  const message =
    mode === undefined ? { payload: schema } : { payload: schema, 'x-eventkit-compatibility': mode };
  return registry({ events: [ev], raw: { stores: { components: { messages: { StoreCreated: message } } } } });
}

async function judge(
  oldSchema: JsonSchema,
  newSchema: JsonSchema,
  mode?: string,
  history: JsonSchema[] = [],
): Promise<Change[]> {
  const { report } = await compareProjects({
    base: { label: 'base', root: '/x', registry: jsonEventRegistry(oldSchema, mode) },
    head: { label: 'head', root: '/y', registry: jsonEventRegistry(newSchema, mode) },
    history: history.map((h, i) => ({
      label: `v${i + 1}`,
      root: '/z',
      registry: jsonEventRegistry(h, mode),
    })),
    skipBuf: true,
    pacts: [],
  });
  return [...report.changes];
}

const summary = (list: Change[]) => list.map((c) => `${c.ruleId}:${c.class}:${c.deployOrder}`);

describe('compatibility modes per event', () => {
  const addNoteOpen = [open({ id: str }), open({ id: str, note: str })] as const;
  const addNoteClosed = [closed({ id: str }), closed({ id: str, note: str })] as const;

  it('default mode is BACKWARD: the open-content trap is breaking', async () => {
    const list = await judge(...addNoteOpen);
    expect(summary(list)).toEqual(['jsonschema/property-added:breaking:producers-first']);
    expect(list[0]?.severity).toBe('error');
    expect(list[0]?.fix).toContain('additionalProperties: false');
    expect(list[0]?.affectedConsumers.map((a) => a.name)).toEqual(['orders', 'orders']);
  });

  it('BACKWARD: adding an optional property to a closed schema is fine, consumers first', async () => {
    expect(summary(await judge(...addNoteClosed, 'BACKWARD'))).toEqual([
      'jsonschema/property-added:non-breaking:consumers-first',
    ]);
  });

  it('FORWARD: the same closed-schema addition is breaking; the open-schema addition is fine', async () => {
    expect(summary(await judge(...addNoteClosed, 'FORWARD'))).toEqual([
      'jsonschema/property-added:breaking:consumers-first',
    ]);
    expect(summary(await judge(...addNoteOpen, 'forward'))).toEqual([
      'jsonschema/property-added:non-breaking:producers-first',
    ]);
  });

  it('FULL: both additions are breaking; an any-value property is not', async () => {
    expect(summary(await judge(...addNoteClosed, 'FULL'))[0]).toMatch(/:breaking:/);
    expect(summary(await judge(...addNoteOpen, 'FULL'))[0]).toMatch(/:breaking:/);
    expect(summary(await judge(open({ id: str }), open({ id: str, extra: {} }), 'FULL'))).toEqual([
      'jsonschema/property-added:non-breaking:any',
    ]);
  });

  it('NONE: nothing is breaking', async () => {
    expect(summary(await judge(closed({ id: str, note: str }), closed({ id: str }), 'NONE'))).toEqual([
      'jsonschema/property-removed:non-breaking:producers-first',
    ]);
  });

  it('BACKWARD compares with the last version only; BACKWARD_TRANSITIVE with every version given', async () => {
    const v1 = closed({ id: str, legacy: str }); // an older version whose messages may still be in the stream
    const base = closed({ id: str });
    const head = closed({ id: str, note: str });
    expect(summary(await judge(base, head, 'BACKWARD', [v1]))).toEqual([
      'jsonschema/property-added:non-breaking:consumers-first',
    ]);
    const transitive = await judge(base, head, 'BACKWARD_TRANSITIVE', [v1]);
    // Breaking changes sort first.
    expect(summary(transitive)).toEqual([
      'jsonschema/property-removed:breaking:producers-first',
      'jsonschema/property-added:non-breaking:consumers-first',
    ]);
    expect(transitive[0]?.message).toContain('against v1');
  });

  it('FORWARD_TRANSITIVE: old readers of every version must read new data', async () => {
    const v1 = closed({ id: str, flag: { type: 'boolean' } }, ['flag']);
    const base = closed({ id: str, flag: { type: 'boolean' } });
    const head = closed({ id: str });
    // base → head: removing an optional property from a closed schema is forward compatible.
    expect(summary(await judge(base, head, 'FORWARD', [v1]))).toEqual([
      'jsonschema/property-removed:non-breaking:producers-first',
    ]);
    // v1 readers require `flag`, and v1 messages carry it into a closed schema: no deploy order works.
    const transitive = await judge(base, head, 'FORWARD_TRANSITIVE', [v1]);
    expect(summary(transitive)).toEqual(['jsonschema/property-removed:breaking:new-major']);
    expect(transitive[0]?.message).toContain('against v1');
  });

  it('an unknown mode is bad input, not a finding', async () => {
    const error = await judge(...addNoteClosed, 'SIDEWAYS').catch((e: unknown) => e);
    expect(isCompatError(error)).toBe(true);
    if (isCompatError(error)) {
      expect(error.code).toBe('load-failed');
      expect(error.diagnostics[0]?.message).toContain('x-eventkit-compatibility must be one of BACKWARD');
    }
  });
});
