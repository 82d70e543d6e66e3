// Structural comparison of two JSON Schemas in both directions, the way Confluent Schema Registry judges
// JSON Schema evolution: each difference says whether a NEW reader accepts OLD data (backward) and whether an
// OLD reader accepts NEW data (forward). The content model (open vs closed `additionalProperties`) decides
// whether adding or removing a property is safe. Rules: src/compat/README.md.
import { isDeepStrictEqual } from 'node:util';

export interface SchemaDifference {
  /** e.g. `jsonschema/property-added`. */
  readonly ruleId: string;
  /** JSON pointer inside the schema where the difference is, e.g. `/properties/lines/items/properties/sku`. */
  readonly pointer: string;
  /** Path in the payload's JSON view, e.g. `lines[].sku`; empty for the whole payload. */
  readonly fieldPath: string;
  readonly message: string;
  /** A reader with the NEW schema accepts every instance of the OLD schema. */
  readonly backward: boolean;
  /** A reader with the OLD schema accepts every instance of the NEW schema. */
  readonly forward: boolean;
}

type Schema = Record<string, unknown>;
type ContentModel =
  | { readonly kind: 'open' }
  | { readonly kind: 'closed' }
  | { readonly kind: 'schema'; readonly schema: unknown };

const annotationKeywords = new Set([
  'title',
  'description',
  'examples',
  'default',
  '$comment',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$id',
  '$schema',
]);

/** Compares an old and a new schema; returns every difference with its direction of compatibility. */
export function diffSchemas(oldSchema: unknown, newSchema: unknown): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  walk(oldSchema, newSchema, '', '', out);
  return out;
}

/** True when every instance valid against `writer` is valid against `reader`. */
export function acceptsAll(reader: unknown, writer: unknown): boolean {
  return diffSchemas(writer, reader).every((d) => d.backward);
}

function asSchema(value: unknown): Schema {
  if (value === true || value === undefined) return {};
  if (value === false) return { not: {} };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Schema;
  return {};
}

function acceptsAnything(value: unknown): boolean {
  const schema = asSchema(value);
  return Object.keys(schema).every((k) => annotationKeywords.has(k));
}

function escapePointer(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

function joinField(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

function walk(
  oldValue: unknown,
  newValue: unknown,
  pointer: string,
  fieldPath: string,
  out: SchemaDifference[],
): void {
  if (isDeepStrictEqual(oldValue, newValue)) return;
  const o = asSchema(oldValue);
  const n = asSchema(newValue);
  const push = (
    ruleId: string,
    message: string,
    backward: boolean,
    forward: boolean,
    at = pointer,
    field = fieldPath,
  ) => out.push({ ruleId, pointer: at, fieldPath: field, message, backward, forward });
  const where = fieldPath === '' ? 'the payload' : `\`${fieldPath}\``;

  compareTypes(o, n, where, push);
  compareEnum(o, n, where, push);
  compareConst(o, n, where, push);
  compareBounds(o, n, where, push);
  compareAssertions(o, n, where, push);
  if (isObjectSchema(o) || isObjectSchema(n)) compareObjects(o, n, pointer, fieldPath, out, push);
  if ('items' in o || 'items' in n) walk(o.items, n.items, `${pointer}/items`, `${fieldPath}[]`, out);
  for (const keyword of [
    'oneOf',
    'anyOf',
    'allOf',
    'not',
    'if',
    'then',
    'else',
    'prefixItems',
    'patternProperties',
  ]) {
    if (!isDeepStrictEqual(o[keyword], n[keyword])) {
      // Proving subset relations through combinators is undecidable in general; be conservative.
      push(
        'jsonschema/combinator-changed',
        `\`${keyword}\` of ${where} changed; eventkit cannot prove either direction compatible`,
        false,
        false,
        `${pointer}/${keyword}`,
      );
    }
  }
}

type Push = (
  ruleId: string,
  message: string,
  backward: boolean,
  forward: boolean,
  at?: string,
  field?: string,
) => void;

function isObjectSchema(s: Schema): boolean {
  const t = s.type;
  return t === 'object' || (Array.isArray(t) && t.includes('object')) || 'properties' in s || 'required' in s;
}

/** Type set of a schema, or undefined for "any type". `integer` is a subset of `number`. */
function typeSet(s: Schema): Set<string> | undefined {
  if (typeof s.type === 'string') return new Set([s.type]);
  if (Array.isArray(s.type)) return new Set(s.type.filter((t): t is string => typeof t === 'string'));
  return undefined;
}

function typesCovered(inner: Set<string> | undefined, outer: Set<string> | undefined): boolean {
  if (outer === undefined) return true;
  if (inner === undefined) return false;
  return [...inner].every((t) => outer.has(t) || (t === 'integer' && outer.has('number')));
}

function compareTypes(o: Schema, n: Schema, where: string, push: Push): void {
  const ot = typeSet(o);
  const nt = typeSet(n);
  if (isDeepStrictEqual(ot, nt)) return;
  const show = (t: Set<string> | undefined) => (t === undefined ? 'any' : [...t].sort().join('|'));
  push(
    'jsonschema/type-changed',
    `type of ${where} changed from ${show(ot)} to ${show(nt)}`,
    typesCovered(ot, nt),
    typesCovered(nt, ot),
  );
}

function compareEnum(o: Schema, n: Schema, where: string, push: Push): void {
  const oe = Array.isArray(o.enum) ? o.enum : undefined;
  const ne = Array.isArray(n.enum) ? n.enum : undefined;
  if (isDeepStrictEqual(oe, ne)) return;
  if (oe === undefined && ne !== undefined) {
    push('jsonschema/enum-added', `${where} is now restricted to ${JSON.stringify(ne)}`, false, true);
    return;
  }
  if (oe !== undefined && ne === undefined) {
    push('jsonschema/enum-removed', `${where} is no longer restricted to ${JSON.stringify(oe)}`, true, false);
    return;
  }
  const has = (list: readonly unknown[], v: unknown) => list.some((x) => isDeepStrictEqual(x, v));
  const added = (ne ?? []).filter((v) => !has(oe ?? [], v));
  const removed = (oe ?? []).filter((v) => !has(ne ?? [], v));
  if (added.length > 0) {
    push(
      'jsonschema/enum-value-added',
      `${where} gained value(s) ${added.map((v) => JSON.stringify(v)).join(', ')}; old readers reject them`,
      true,
      false,
    );
  }
  if (removed.length > 0) {
    push(
      'jsonschema/enum-value-removed',
      `${where} lost value(s) ${removed.map((v) => JSON.stringify(v)).join(', ')}; new readers reject stored messages that carry them`,
      false,
      true,
    );
  }
}

function compareConst(o: Schema, n: Schema, where: string, push: Push): void {
  if (isDeepStrictEqual(o.const, n.const)) return;
  if (!('const' in o))
    push('jsonschema/const-added', `${where} is now fixed to ${JSON.stringify(n.const)}`, false, true);
  else if (!('const' in n))
    push(
      'jsonschema/const-removed',
      `${where} is no longer fixed to ${JSON.stringify(o.const)}`,
      true,
      false,
    );
  else
    push(
      'jsonschema/const-changed',
      `${where} changed its fixed value from ${JSON.stringify(o.const)} to ${JSON.stringify(n.const)}`,
      false,
      false,
    );
}

const lowerBounds = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
const upperBounds = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;

function compareBounds(o: Schema, n: Schema, where: string, push: Push): void {
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  for (const keyword of lowerBounds) {
    const ov = num(o[keyword]) ?? Number.NEGATIVE_INFINITY;
    const nv = num(n[keyword]) ?? Number.NEGATIVE_INFINITY;
    if (ov === nv) continue;
    const tighter = nv > ov;
    push(
      tighter ? 'jsonschema/constraint-tightened' : 'jsonschema/constraint-loosened',
      `\`${keyword}\` of ${where} changed from ${fmt(o[keyword])} to ${fmt(n[keyword])}`,
      !tighter,
      tighter,
    );
  }
  for (const keyword of upperBounds) {
    const ov = num(o[keyword]) ?? Number.POSITIVE_INFINITY;
    const nv = num(n[keyword]) ?? Number.POSITIVE_INFINITY;
    if (ov === nv) continue;
    const tighter = nv < ov;
    push(
      tighter ? 'jsonschema/constraint-tightened' : 'jsonschema/constraint-loosened',
      `\`${keyword}\` of ${where} changed from ${fmt(o[keyword])} to ${fmt(n[keyword])}`,
      !tighter,
      tighter,
    );
  }
}

function fmt(v: unknown): string {
  return v === undefined ? 'none' : JSON.stringify(v);
}

function compareAssertions(o: Schema, n: Schema, where: string, push: Push): void {
  for (const keyword of ['pattern', 'format', 'multipleOf', 'uniqueItems']) {
    if (isDeepStrictEqual(o[keyword], n[keyword])) continue;
    const message = `\`${keyword}\` of ${where} changed from ${fmt(o[keyword])} to ${fmt(n[keyword])}`;
    if (!(keyword in o)) push('jsonschema/constraint-tightened', message, false, true);
    else if (!(keyword in n)) push('jsonschema/constraint-loosened', message, true, false);
    else push('jsonschema/constraint-changed', message, false, false);
  }
}

function contentModel(s: Schema): ContentModel {
  if (s.additionalProperties === false || s.unevaluatedProperties === false) return { kind: 'closed' };
  if (
    s.additionalProperties === undefined ||
    s.additionalProperties === true ||
    acceptsAnything(s.additionalProperties)
  )
    return { kind: 'open' };
  return { kind: 'schema', schema: s.additionalProperties };
}

function describeModel(m: ContentModel): string {
  return m.kind === 'closed'
    ? 'closed (additionalProperties: false)'
    : m.kind === 'open'
      ? 'open'
      : 'partially open';
}

function props(s: Schema): Record<string, unknown> {
  const p = s.properties;
  return p !== null && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, unknown>) : {};
}

function requiredSet(s: Schema): Set<string> {
  return new Set(
    Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : [],
  );
}

function compareObjects(
  o: Schema,
  n: Schema,
  pointer: string,
  fieldPath: string,
  out: SchemaDifference[],
  push: Push,
): void {
  const op = props(o);
  const np = props(n);
  const oReq = requiredSet(o);
  const nReq = requiredSet(n);
  const oModel = contentModel(o);
  const nModel = contentModel(n);
  const where = fieldPath === '' ? 'the payload' : `\`${fieldPath}\``;

  for (const name of Object.keys(np).sort()) {
    if (name in op) continue;
    const at = `${pointer}/properties/${escapePointer(name)}`;
    const field = joinField(fieldPath, name);
    const required = nReq.has(name);
    // New reader, old data: old data has the property only when the old content model let it in.
    let backward: boolean;
    let why: string;
    if (required) {
      backward = false;
      why = 'it is required, and old messages do not carry it';
    } else if (oModel.kind === 'closed') {
      backward = true;
      why = 'old messages could not carry it (old schema was closed)';
    } else if (oModel.kind === 'open') {
      backward = acceptsAnything(np[name]);
      why = backward
        ? 'it accepts any value'
        : 'the old schema was OPEN, so old messages may already carry it with any value that the new type rejects (open-content-model trap)';
    } else {
      backward = acceptsAll(np[name], oModel.schema);
      why = backward
        ? 'it accepts every old additional property'
        : 'old additional properties may not match it';
    }
    // Old reader, new data: the old reader lets the property in only through its content model.
    const forward =
      oModel.kind === 'open' ? true : oModel.kind === 'closed' ? false : acceptsAll(oModel.schema, np[name]);
    push(
      required ? 'jsonschema/required-property-added' : 'jsonschema/property-added',
      `${required ? 'required ' : ''}property \`${field}\` added to ${where} (old model ${describeModel(oModel)}): ${why}` +
        (forward ? '' : '; old readers with a closed schema reject it'),
      backward,
      forward,
      at,
      field,
    );
  }

  for (const name of Object.keys(op).sort()) {
    if (name in np) continue;
    const at = `${pointer}/properties/${escapePointer(name)}`;
    const field = joinField(fieldPath, name);
    // New reader, old data: old messages carry the property; the new model must still let it in.
    const backward =
      nModel.kind === 'open' ? true : nModel.kind === 'closed' ? false : acceptsAll(nModel.schema, op[name]);
    let forward: boolean;
    let why: string;
    if (oReq.has(name)) {
      forward = false;
      why = 'old readers require it';
    } else if (nModel.kind === 'closed') {
      forward = true;
      why = 'new messages cannot carry it';
    } else if (nModel.kind === 'open') {
      forward = acceptsAnything(op[name]);
      why = forward
        ? 'old readers accept any value for it'
        : 'the new schema is OPEN, so new messages may carry it with any value that old readers reject';
    } else {
      forward = acceptsAll(op[name], nModel.schema);
      why = forward
        ? 'old readers accept every new additional property'
        : 'new additional properties may not match it';
    }
    push(
      'jsonschema/property-removed',
      `property \`${field}\` removed from ${where} (new model ${describeModel(nModel)}): ${why}` +
        (backward ? '' : '; the new closed schema rejects old messages that still carry it'),
      backward,
      forward,
      at,
      field,
    );
  }

  for (const name of Object.keys(op).sort()) {
    if (name in np)
      walk(
        op[name],
        np[name],
        `${pointer}/properties/${escapePointer(name)}`,
        joinField(fieldPath, name),
        out,
      );
  }

  for (const name of [...nReq].sort()) {
    if (oReq.has(name) || !(name in op)) continue;
    push(
      'jsonschema/property-made-required',
      `property \`${joinField(fieldPath, name)}\` became required; old messages may lack it`,
      false,
      true,
      `${pointer}/required`,
      joinField(fieldPath, name),
    );
  }
  for (const name of [...oReq].sort()) {
    if (nReq.has(name) || !(name in np)) continue;
    push(
      'jsonschema/property-made-optional',
      `property \`${joinField(fieldPath, name)}\` became optional; old readers require it`,
      true,
      false,
      `${pointer}/required`,
      joinField(fieldPath, name),
    );
  }

  if (oModel.kind !== nModel.kind) {
    const closing = nModel.kind === 'closed' || (nModel.kind === 'schema' && oModel.kind === 'open');
    push(
      closing ? 'jsonschema/content-model-closed' : 'jsonschema/content-model-opened',
      `${where} changed from ${describeModel(oModel)} to ${describeModel(nModel)}` +
        (closing
          ? '; old messages with extra properties are rejected'
          : '; old closed readers reject extra properties'),
      !closing,
      closing,
      `${pointer}/additionalProperties`,
    );
  } else if (oModel.kind === 'schema' && nModel.kind === 'schema') {
    walk(oModel.schema, nModel.schema, `${pointer}/additionalProperties`, joinField(fieldPath, '*'), out);
  }
}
