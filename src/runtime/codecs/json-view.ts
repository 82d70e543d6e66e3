// THE mapping between a protobuf payload's runtime value and its proto3 canonical JSON view
// (https://protobuf.dev/programming-guides/proto3/#json). Contracts, examples and the catalog use it.
//
// Runtime value shape (what generated types describe):
//   field names = JSON names (lowerCamelCase); int64 family → number; enums → name string;
//   bytes → Uint8Array; google.protobuf.Timestamp / Duration → { seconds: number, nanos: number };
//   every non-presence field filled with its default; unset message / `optional` / oneof fields absent.
//
// JSON view (decision, kept consistent everywhere): EMIT DEFAULTS for every non-presence field
// (strings "", numbers 0, enums by name, empty lists/maps) so contracts read complete; unset messages,
// `optional` and oneof fields are omitted. int64 family → decimal string, bytes → base64,
// Timestamp → RFC 3339 (UTC, 0/3/6/9 fraction digits), Duration → "1.5s", wrappers → their value,
// Struct/Value/ListValue → plain JSON, FieldMask → "a,b.c", NaN/±Infinity → "NaN"/"Infinity"/"-Infinity".
// Parsing accepts JSON names and proto names, numbers or strings for int64, enum names or numbers,
// standard or URL-safe base64, any RFC 3339 offset; null means "not set".
import protobuf from 'protobufjs';
import { jsonName } from './proto-root.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const INT32 = new Set(['int32', 'sint32', 'sfixed32']);
const UINT32 = new Set(['uint32', 'fixed32']);
const FLOAT = new Set(['double', 'float']);

/** Fields that track presence (oneof members, proto3 `optional`): absent when unset. */
export function hasPresence(field: protobuf.Field): boolean {
  if (field.map || field.repeated) return false;
  return field.partOf !== null || field.resolvedType instanceof protobuf.Type;
}

function defaultScalar(field: protobuf.Field): unknown {
  if (field.resolvedType instanceof protobuf.Enum) {
    const e = field.resolvedType;
    return e.valuesById[0] ?? Object.keys(e.values)[0] ?? 0;
  }
  if (field.type === 'string') return '';
  if (field.type === 'bool') return false;
  if (field.type === 'bytes') return new Uint8Array(0);
  return 0;
}

/** The default of a field in the runtime value shape. */
export function defaultValue(field: protobuf.Field): unknown {
  if (field.map) return {};
  if (field.repeated) return [];
  return defaultScalar(field);
}

// ---------------------------------------------------------------------------------------------
// Runtime value → canonical JSON

const WKT = '.google.protobuf.';

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function fraction(nanos: number): string {
  if (nanos === 0) return '';
  const digits = String(nanos).padStart(9, '0');
  if (nanos % 1_000_000 === 0) return `.${digits.slice(0, 3)}`;
  if (nanos % 1_000 === 0) return `.${digits.slice(0, 6)}`;
  return `.${digits}`;
}

export function timestampToRfc3339(seconds: number, nanos: number): string {
  const iso = new Date(seconds * 1000).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
  return `${iso.slice(0, 19)}${fraction(nanos)}Z`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

export function rfc3339ToTimestamp(text: string): { seconds: number; nanos: number } | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s));
  // Reject rolled-over dates such as Feb 30.
  if (
    date.getUTCMonth() !== Number(mo) - 1 ||
    date.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  )
    return undefined;
  let ms = date.getTime();
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return { seconds: Math.floor(ms / 1000), nanos: Number(frac.padEnd(9, '0')) };
}

function durationToJson(seconds: number, nanos: number): string {
  const negative = seconds < 0 || nanos < 0;
  return `${negative ? '-' : ''}${Math.abs(seconds)}${fraction(Math.abs(nanos))}s`;
}

function jsonToDuration(text: string): { seconds: number; nanos: number } | undefined {
  const m = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(text);
  if (!m) return undefined;
  const sign = m[1] ? -1 : 1;
  const seconds = Number(m[2]);
  const nanos = Number((m[3] ?? '').padEnd(9, '0'));
  return { seconds: seconds === 0 ? 0 : sign * seconds, nanos: nanos === 0 ? 0 : sign * nanos };
}

function scalarToJson(field: protobuf.Field, value: unknown): unknown {
  const type = field.resolvedType;
  if (type instanceof protobuf.Enum) {
    if (typeof value === 'number') return type.valuesById[value] ?? value;
    return value;
  }
  if (type instanceof protobuf.Type) return messageToJson(type, value as Obj);
  if (INT64.has(field.type))
    return typeof value === 'bigint' ? value.toString() : String(Math.trunc(Number(value)));
  if (field.type === 'bytes') return base64(value as Uint8Array);
  if (FLOAT.has(field.type)) {
    const n = Number(value);
    if (Number.isNaN(n)) return 'NaN';
    if (n === Number.POSITIVE_INFINITY) return 'Infinity';
    if (n === Number.NEGATIVE_INFINITY) return '-Infinity';
    return n;
  }
  return value;
}

function structValueToJson(value: Obj): unknown {
  if ('structValue' in value && isObj(value.structValue)) return structToJson(value.structValue);
  if ('listValue' in value && isObj(value.listValue))
    return ((value.listValue.values as Obj[]) ?? []).map(structValueToJson);
  if ('stringValue' in value) return value.stringValue;
  if ('numberValue' in value) return value.numberValue;
  if ('boolValue' in value) return value.boolValue;
  return null;
}

function structToJson(value: Obj): unknown {
  const out: Obj = {};
  for (const [k, v] of Object.entries((value.fields as Obj) ?? {})) out[k] = structValueToJson(v as Obj);
  return out;
}

function wellKnownToJson(type: protobuf.Type, value: Obj): unknown {
  switch (type.fullName.slice(WKT.length)) {
    case 'Timestamp':
      return timestampToRfc3339(Number(value.seconds ?? 0), Number(value.nanos ?? 0));
    case 'Duration':
      return durationToJson(Number(value.seconds ?? 0), Number(value.nanos ?? 0));
    case 'DoubleValue':
    case 'FloatValue':
    case 'Int64Value':
    case 'UInt64Value':
    case 'Int32Value':
    case 'UInt32Value':
    case 'BoolValue':
    case 'StringValue':
    case 'BytesValue': {
      const field = type.fields.value as protobuf.Field;
      return scalarToJson(field, value.value ?? defaultValue(field));
    }
    case 'Struct':
      return structToJson(value);
    case 'Value':
      return structValueToJson(value);
    case 'ListValue':
      return ((value.values as Obj[]) ?? []).map(structValueToJson);
    case 'FieldMask':
      return ((value.paths as string[]) ?? []).join(',');
    default:
      return undefined;
  }
}

/** Runtime value of message `type` → its canonical JSON view. */
export function messageToJson(type: protobuf.Type, value: Obj): unknown {
  if (type.fullName.startsWith(WKT)) {
    const wkt = wellKnownToJson(type, value);
    if (wkt !== undefined) return wkt;
  }
  const out: Obj = {};
  for (const field of type.fieldsArray) {
    const v = value[field.name];
    if (v === undefined || v === null) {
      if (hasPresence(field)) continue;
      out[field.name] = field.map ? {} : field.repeated ? [] : scalarToJson(field, defaultScalar(field));
      continue;
    }
    if (field.map) {
      const map: Obj = {};
      for (const [k, item] of Object.entries(v as Obj)) map[k] = scalarToJson(field, item);
      out[field.name] = map;
    } else if (field.repeated) out[field.name] = (v as unknown[]).map((item) => scalarToJson(field, item));
    else out[field.name] = scalarToJson(field, v);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Canonical JSON → runtime value (collecting problems with their paths)

class Problems {
  readonly list: string[] = [];
  add(path: string, message: string): undefined {
    if (this.list.length < 50) this.list.push(`${path || '(root)'}: ${message}`);
    return undefined;
  }
}

function fromBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

function jsonToScalar(field: protobuf.Field, json: unknown, path: string, problems: Problems): unknown {
  const type = field.resolvedType;
  if (type instanceof protobuf.Enum) {
    if (typeof json === 'string' && json in type.values) return json;
    if (typeof json === 'number' && Number.isInteger(json)) return type.valuesById[json] ?? json;
    return problems.add(
      path,
      `expected one of ${Object.keys(type.values).join(', ')}, got ${JSON.stringify(json)}`,
    );
  }
  if (type instanceof protobuf.Type) return jsonToMessage(type, json, path, problems);
  if (field.type === 'string')
    return typeof json === 'string'
      ? json
      : problems.add(path, `expected a string, got ${JSON.stringify(json)}`);
  if (field.type === 'bool')
    return typeof json === 'boolean'
      ? json
      : problems.add(path, `expected true or false, got ${JSON.stringify(json)}`);
  if (field.type === 'bytes') {
    const bytes = typeof json === 'string' ? fromBase64(json) : undefined;
    return bytes ?? problems.add(path, 'expected base64 text');
  }
  if (FLOAT.has(field.type)) {
    if (typeof json === 'number') return json;
    if (json === 'NaN') return Number.NaN;
    if (json === 'Infinity') return Number.POSITIVE_INFINITY;
    if (json === '-Infinity') return Number.NEGATIVE_INFINITY;
    if (typeof json === 'string' && json.trim() !== '' && !Number.isNaN(Number(json))) return Number(json);
    return problems.add(path, `expected a number, got ${JSON.stringify(json)}`);
  }
  // Integer types: numbers or decimal strings (int64 is written as a string).
  const n =
    typeof json === 'number'
      ? json
      : typeof json === 'string' && /^-?\d+$/.test(json)
        ? Number(json)
        : Number.NaN;
  if (!Number.isInteger(n)) return problems.add(path, `expected an integer, got ${JSON.stringify(json)}`);
  if (INT32.has(field.type) && (n < -2147483648 || n > 2147483647))
    return problems.add(path, `${n} is out of int32 range`);
  if (UINT32.has(field.type) && (n < 0 || n > 4294967295))
    return problems.add(path, `${n} is out of uint32 range`);
  if (INT64.has(field.type) && !Number.isSafeInteger(n))
    return problems.add(path, `${json} is beyond ±2^53 (int64 values are JS numbers)`);
  if (field.type.startsWith('u') || field.type === 'fixed64') {
    if (n < 0) return problems.add(path, `${n} is negative for ${field.type}`);
  }
  return n;
}

function jsonToStructValue(json: unknown): Obj {
  if (json === null) return { nullValue: 'NULL_VALUE' };
  if (typeof json === 'number') return { numberValue: json };
  if (typeof json === 'string') return { stringValue: json };
  if (typeof json === 'boolean') return { boolValue: json };
  if (Array.isArray(json)) return { listValue: { values: json.map(jsonToStructValue) } };
  return { structValue: jsonToStruct(json as Obj) };
}

function jsonToStruct(json: Obj): Obj {
  const fields: Obj = {};
  for (const [k, v] of Object.entries(json)) fields[k] = jsonToStructValue(v);
  return { fields };
}

function jsonToWellKnown(
  type: protobuf.Type,
  json: unknown,
  path: string,
  problems: Problems,
): { value: unknown } | undefined {
  switch (type.fullName.slice(WKT.length)) {
    case 'Timestamp': {
      const ts = typeof json === 'string' ? rfc3339ToTimestamp(json) : undefined;
      return {
        value:
          ts ??
          problems.add(
            path,
            `expected an RFC 3339 time such as 2024-01-31T12:00:00Z, got ${JSON.stringify(json)}`,
          ),
      };
    }
    case 'Duration': {
      const d = typeof json === 'string' ? jsonToDuration(json) : undefined;
      return {
        value: d ?? problems.add(path, `expected a duration such as "1.5s", got ${JSON.stringify(json)}`),
      };
    }
    case 'DoubleValue':
    case 'FloatValue':
    case 'Int64Value':
    case 'UInt64Value':
    case 'Int32Value':
    case 'UInt32Value':
    case 'BoolValue':
    case 'StringValue':
    case 'BytesValue':
      return { value: { value: jsonToScalar(type.fields.value as protobuf.Field, json, path, problems) } };
    case 'Struct':
      return { value: isObj(json) ? jsonToStruct(json) : problems.add(path, 'expected a JSON object') };
    case 'Value':
      return { value: jsonToStructValue(json) };
    case 'ListValue':
      return {
        value: Array.isArray(json)
          ? { values: json.map(jsonToStructValue) }
          : problems.add(path, 'expected a JSON array'),
      };
    case 'FieldMask':
      return {
        value:
          typeof json === 'string'
            ? { paths: json ? json.split(',') : [] }
            : problems.add(path, 'expected "a,b.c"'),
      };
    default:
      return undefined;
  }
}

/** Canonical JSON of message `type` → runtime value with defaults filled. Problems go to `problems`. */
export function jsonToMessage(
  type: protobuf.Type,
  json: unknown,
  path: string,
  problems: Problems,
): Obj | undefined {
  if (type.fullName.startsWith(WKT)) {
    const wkt = jsonToWellKnown(type, json, path, problems);
    if (wkt) return wkt.value as Obj | undefined;
  }
  if (!isObj(json))
    return problems.add(
      path,
      `expected an object for ${type.fullName.slice(1)}, got ${JSON.stringify(json)}`,
    );
  const byName = new Map<string, protobuf.Field>();
  for (const field of type.fieldsArray) byName.set(field.name, field);
  const out: Obj = {};
  const seenOneofs = new Set<string>();
  for (const [key, raw] of Object.entries(json)) {
    const field = byName.get(key) ?? byName.get(jsonName(key));
    const p = path ? `${path}.${key}` : key;
    if (!field) {
      problems.add(p, `unknown field of ${type.fullName.slice(1)}`);
      continue;
    }
    if (raw === null && !(field.resolvedType?.fullName === `${WKT}Value`)) continue;
    if (field.partOf) {
      if (seenOneofs.has(field.partOf.name) && !field.partOf.name.startsWith('_'))
        problems.add(p, `more than one field of oneof ${field.partOf.name} is set`);
      seenOneofs.add(field.partOf.name);
    }
    if (field.map) {
      if (!isObj(raw)) {
        problems.add(p, 'expected an object (map)');
        continue;
      }
      const map: Obj = {};
      for (const [k, item] of Object.entries(raw)) map[k] = jsonToScalar(field, item, `${p}.${k}`, problems);
      out[field.name] = map;
    } else if (field.repeated) {
      if (!Array.isArray(raw)) {
        problems.add(p, 'expected an array');
        continue;
      }
      out[field.name] = raw.map((item, i) => jsonToScalar(field, item, `${p}[${i}]`, problems));
    } else {
      const value = jsonToScalar(field, raw, p, problems);
      if (value !== undefined) out[field.name] = value;
    }
  }
  for (const field of type.fieldsArray)
    if (!(field.name in out) && !hasPresence(field)) out[field.name] = defaultValue(field);
  return out;
}

/** Parse the JSON view; returns the value or the list of problems. */
export function fromJsonView(
  type: protobuf.Type,
  json: unknown,
): { value?: Obj; problems: readonly string[] } {
  const problems = new Problems();
  const value = jsonToMessage(type, json, '', problems);
  return problems.list.length > 0 || !value
    ? { problems: problems.list.length ? problems.list : ['(root): not a message'] }
    : { value, problems: [] };
}

// ---------------------------------------------------------------------------------------------
// Runtime value checks (before encoding) and normalisation (after decoding)

type CheckKind =
  | 'string'
  | 'bool'
  | 'bytes'
  | 'float'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'enum'
  | 'message';

/** How to check one field of a runtime value (compiled once per type). */
interface FieldCheck {
  readonly kind: CheckKind;
  readonly typeName: string;
  readonly repeated: boolean;
  readonly map: boolean;
  readonly oneof: string | undefined;
  readonly enumNames?: ReadonlySet<string>;
  readonly enumText?: string;
  readonly sub?: protobuf.Type;
}

interface TypeCheck {
  readonly fullName: string;
  readonly fields: ReadonlyMap<string, FieldCheck>;
  readonly hasOneofs: boolean;
}

const checks = new WeakMap<protobuf.Type, TypeCheck>();

function checkKind(field: protobuf.Field): CheckKind {
  if (field.resolvedType instanceof protobuf.Enum) return 'enum';
  if (field.resolvedType instanceof protobuf.Type) return 'message';
  const t = field.type;
  if (t === 'string' || t === 'bool' || t === 'bytes') return t;
  if (FLOAT.has(t)) return 'float';
  if (INT32.has(t)) return 'int32';
  if (UINT32.has(t)) return 'uint32';
  return t === 'int64' || t === 'sint64' || t === 'sfixed64' ? 'int64' : 'uint64';
}

function typeCheck(type: protobuf.Type): TypeCheck {
  const known = checks.get(type);
  if (known) return known;
  const fields = new Map<string, FieldCheck>();
  for (const field of type.fieldsArray) {
    const kind = checkKind(field);
    const e = field.resolvedType instanceof protobuf.Enum ? field.resolvedType : undefined;
    fields.set(field.name, {
      kind,
      typeName: field.type,
      repeated: field.repeated && !field.map,
      map: field.map,
      oneof: field.partOf?.name,
      ...(e ? { enumNames: new Set(Object.keys(e.values)), enumText: Object.keys(e.values).join(', ') } : {}),
      ...(field.resolvedType instanceof protobuf.Type ? { sub: field.resolvedType } : {}),
    });
  }
  const compiled: TypeCheck = {
    fullName: type.fullName.slice(1),
    fields,
    hasOneofs: type.oneofsArray.length > 0,
  };
  checks.set(type, compiled);
  return compiled;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'bytes';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

const join = (parent: string, key: string | number) =>
  typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

// Runs on every publish: no allocation per field unless there is a problem or a nested message.
function checkScalar(
  check: FieldCheck,
  value: unknown,
  parent: string,
  key: string | number,
  problems: Problems,
): void {
  switch (check.kind) {
    case 'string':
      if (typeof value !== 'string')
        problems.add(join(parent, key), `expected a string, got ${describe(value)}`);
      return;
    case 'bool':
      if (typeof value !== 'boolean')
        problems.add(join(parent, key), `expected a boolean, got ${describe(value)}`);
      return;
    case 'bytes':
      if (!(value instanceof Uint8Array))
        problems.add(join(parent, key), `expected a Uint8Array, got ${describe(value)}`);
      return;
    case 'float':
      if (typeof value !== 'number')
        problems.add(join(parent, key), `expected a number, got ${describe(value)}`);
      return;
    case 'enum':
      if (
        (typeof value === 'string' && check.enumNames?.has(value)) ||
        (typeof value === 'number' && Number.isInteger(value))
      )
        return;
      problems.add(join(parent, key), `expected one of ${check.enumText}, got ${JSON.stringify(value)}`);
      return;
    case 'message':
      if (check.sub) checkMessage(check.sub, value, join(parent, key), problems);
      return;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    problems.add(join(parent, key), `expected an integer (${check.typeName}), got ${describe(value)}`);
    return;
  }
  if (check.kind === 'int32') {
    if (value < -2147483648 || value > 2147483647)
      problems.add(join(parent, key), `${value} is out of int32 range`);
  } else if (check.kind === 'uint32') {
    if (value < 0 || value > 4294967295) problems.add(join(parent, key), `${value} is out of uint32 range`);
  } else if (!Number.isSafeInteger(value)) problems.add(join(parent, key), `${value} is beyond ±2^53`);
  else if (check.kind === 'uint64' && value < 0)
    problems.add(join(parent, key), `${value} is negative for ${check.typeName}`);
}

function checkMessage(type: protobuf.Type, value: unknown, path: string, problems: Problems): void {
  const compiled = typeCheck(type);
  if (!isObj(value)) {
    problems.add(path, `expected an object (${compiled.fullName}), got ${describe(value)}`);
    return;
  }
  let oneofs: Set<string> | undefined;
  for (const key of Object.keys(value)) {
    const v = value[key];
    const check = compiled.fields.get(key);
    if (!check) {
      problems.add(join(path, key), `unknown field of ${compiled.fullName}`);
      continue;
    }
    if (v === undefined || v === null) continue;
    if (check.oneof !== undefined && compiled.hasOneofs) {
      oneofs ??= new Set();
      if (oneofs.has(check.oneof))
        problems.add(join(path, key), `more than one field of oneof ${check.oneof} is set`);
      oneofs.add(check.oneof);
    }
    if (check.map) {
      if (!isObj(v)) problems.add(join(path, key), `expected an object (map), got ${describe(v)}`);
      else {
        const at = join(path, key);
        for (const k of Object.keys(v)) checkScalar(check, v[k], at, k, problems);
      }
    } else if (check.repeated) {
      if (!Array.isArray(v)) problems.add(join(path, key), `expected an array, got ${describe(v)}`);
      else if (v.length > 0) {
        const at = join(path, key);
        for (let i = 0; i < v.length; i++) checkScalar(check, v[i], at, i, problems);
      }
    } else checkScalar(check, v, path, key, problems);
  }
}

/** Problems of a runtime value (types, ranges, unknown fields); empty when it can be encoded. */
export function checkValue(type: protobuf.Type, value: unknown): readonly string[] {
  const problems = new Problems();
  checkMessage(type, value, '', problems);
  return problems.list;
}

/** True when no field of the type (transitively) is an enum: then a runtime value encodes as is. */
export function encodesDirectly(type: protobuf.Type, seen = new Set<protobuf.Type>()): boolean {
  if (seen.has(type)) return true;
  seen.add(type);
  return type.fieldsArray.every((f) => {
    if (f.resolvedType instanceof protobuf.Enum) return false;
    if (f.resolvedType instanceof protobuf.Type) return encodesDirectly(f.resolvedType, seen);
    return true;
  });
}

/** What normalizeDecoded must do for one field (compiled once per type). */
interface FixStep {
  readonly name: string;
  /** Unset presence fields come back as null: delete them. */
  readonly presence: boolean;
  /** Buffers (node) → plain Uint8Array. */
  readonly bytes: boolean;
  /** Message type to recurse into, when it needs fixing itself. */
  readonly sub: protobuf.Type | undefined;
  readonly repeated: boolean;
  readonly map: boolean;
}

const plans = new WeakMap<protobuf.Type, readonly FixStep[]>();

function fixPlan(type: protobuf.Type): readonly FixStep[] {
  const known = plans.get(type);
  if (known) return known;
  const steps: FixStep[] = [];
  plans.set(type, steps); // recursive types see the (filling) plan
  for (const field of type.fieldsArray) {
    const sub = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    const subNeedsFix = sub ? fixPlan(sub).length > 0 : false;
    const step: FixStep = {
      name: field.name,
      presence: hasPresence(field),
      bytes: field.type === 'bytes',
      sub: subNeedsFix ? sub : undefined,
      repeated: field.repeated && !field.map,
      map: field.map,
    };
    if (step.presence || step.bytes || step.sub) steps.push(step);
  }
  return steps;
}

function fixItem(step: FixStep, item: unknown): unknown {
  if (step.bytes && item instanceof Uint8Array && item.constructor !== Uint8Array)
    return new Uint8Array(item.buffer.slice(item.byteOffset, item.byteOffset + item.byteLength));
  if (step.sub && item !== null && typeof item === 'object') return normalizeDecoded(step.sub, item as Obj);
  return item;
}

/** Turn protobufjs toObject output into the runtime value shape (in place). */
export function normalizeDecoded(type: protobuf.Type, value: Obj): Obj {
  const steps = fixPlan(type);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as FixStep;
    const v = value[step.name];
    if (v === null || v === undefined) {
      if (step.presence) delete value[step.name];
      continue;
    }
    if (step.map) {
      const map = v as Obj;
      for (const k in map) map[k] = fixItem(step, map[k]);
    } else if (step.repeated) {
      const list = v as unknown[];
      for (let j = 0; j < list.length; j++) list[j] = fixItem(step, list[j]);
    } else value[step.name] = fixItem(step, v);
  }
  return value;
}
