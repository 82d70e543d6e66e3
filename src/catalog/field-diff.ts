// Field-level diff between two versions of a payload, classified the way consumers feel it:
// removing or retyping a field breaks them, adding one does not.
import type { FieldModel } from '../model/types.ts';
import type { FieldChange, VersionDiff } from './inputs.ts';

/** Type name without its versioned package, so `orders.v1.LineItem` and `orders.v2.LineItem` compare equal. */
function unversioned(type: string): string {
  return type.replace(/^([a-z0-9_.]*?)\.v\d+\./, '$1.');
}

function cardinality(f: FieldModel): string {
  return f.repeated ? 'repeated' : f.kind === 'map' ? 'map' : 'single';
}

function diffFields(
  from: readonly FieldModel[],
  to: readonly FieldModel[],
  prefix: string,
  out: FieldChange[],
): void {
  const before = new Map(from.map((f) => [f.name, f]));
  const after = new Map(to.map((f) => [f.name, f]));
  for (const [name, a] of before) {
    const path = `${prefix}${name}`;
    const b = after.get(name);
    if (!b) {
      out.push({ path, kind: 'removed', from: a.type, breaking: true });
      continue;
    }
    if (unversioned(a.type) !== unversioned(b.type))
      out.push({ path, kind: 'type-changed', from: a.type, to: b.type, breaking: true });
    else if (a.kind === 'message' && b.kind === 'message' && a.fields && b.fields)
      diffFields(a.fields, b.fields, `${path}${a.repeated ? '[]' : ''}.`, out);
    if (a.number !== undefined && b.number !== undefined && a.number !== b.number) {
      out.push({
        path,
        kind: 'number-changed',
        from: String(a.number),
        to: String(b.number),
        breaking: true,
      });
    }
    if (cardinality(a) !== cardinality(b))
      out.push({
        path,
        kind: 'cardinality-changed',
        from: cardinality(a),
        to: cardinality(b),
        breaking: true,
      });
    if (a.required !== b.required) {
      // Newly required breaks producers' old payloads; newly optional breaks consumers relying on it.
      out.push({
        path,
        kind: 'required-changed',
        from: a.required ? 'required' : 'optional',
        to: b.required ? 'required' : 'optional',
        breaking: true,
      });
    }
    if (a.enumValues && b.enumValues) {
      const names = new Set(b.enumValues.map((v) => v.name));
      const old = new Set(a.enumValues.map((v) => v.name));
      for (const v of a.enumValues)
        if (!names.has(v.name)) out.push({ path, kind: 'enum-value-removed', from: v.name, breaking: true });
      for (const v of b.enumValues)
        if (!old.has(v.name)) out.push({ path, kind: 'enum-value-added', to: v.name, breaking: false });
    }
  }
  for (const [name, b] of after) {
    if (!before.has(name))
      out.push({ path: `${prefix}${name}`, kind: 'added', to: b.type, breaking: b.required });
  }
}

export function diffVersions(
  fromType: string,
  from: readonly FieldModel[],
  toType: string,
  to: readonly FieldModel[],
): VersionDiff {
  const changes: FieldChange[] = [];
  diffFields(from, to, '', changes);
  return {
    from: fromType,
    to: toType,
    class: changes.some((c) => c.breaking) ? 'breaking' : 'non-breaking',
    changes,
  };
}
