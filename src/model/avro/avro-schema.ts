// Avro payloads (`schemaFormat: application/vnd.apache.avro…`): the schema is checked and examples are
// validated by avsc (the maintained Avro implementation for JavaScript, already installed through
// @asyncapi/parser). eventkit reads the schema as written (named types, namespaces, logical types) to
// derive one model every module shares: the catalog's fields, a JSON Schema of the JSON view (what
// AsyncAPI examples, compat and contracts use) and the named types codegen turns into TypeScript.
//
// The JSON view is how examples are written in AsyncAPI documents: unions unwrapped (`null` or the
// value, not `{"string": …}`), `bytes`/`fixed` as strings of code points 0–255 (Avro's JSON encoding),
// logical types as their underlying type (`timestamp-millis` is a number).
import avsc from 'avsc';
import type { FieldModel, JsonSchema } from '../types.ts';

/** `application/vnd.apache.avro;version=1.9.0`, `…avro+json;…`, `…avro+yaml;…`. */
export function isAvroSchemaFormat(format: unknown): boolean {
  return (
    typeof format === 'string' &&
    /^application\/vnd\.apache\.avro(\+json|\+yaml)?(;|$)/.test(format.replace(/\s+/g, '').toLowerCase())
  );
}

/** Path inside the Avro schema (object keys and array indexes), for source locations. */
export type AvroPath = readonly (string | number)[];

export interface AvroProblem {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Where in the schema (relative to the payload's `schema`). */
  readonly path: AvroPath;
}

/** A named Avro type (record, enum, fixed) as eventkit models it. */
export type AvroNamed =
  | {
      readonly kind: 'record';
      readonly fullName: string;
      readonly name: string;
      readonly doc?: string;
      readonly fields: readonly AvroField[];
    }
  | {
      readonly kind: 'enum';
      readonly fullName: string;
      readonly name: string;
      readonly doc?: string;
      readonly symbols: readonly string[];
    }
  | {
      readonly kind: 'fixed';
      readonly fullName: string;
      readonly name: string;
      readonly doc?: string;
      readonly size: number;
    };

export interface AvroField {
  readonly name: string;
  readonly doc?: string;
  readonly type: AvroTypeRef;
  /** A field with a default may be left out of a value. */
  readonly hasDefault: boolean;
}

/** A type use: a primitive (with its logical type), a named type, or a complex one. */
export type AvroTypeRef =
  | {
      readonly kind: 'primitive';
      readonly name: 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';
      readonly logicalType?: string;
    }
  | { readonly kind: 'named'; readonly fullName: string; readonly logicalType?: string }
  | { readonly kind: 'array'; readonly items: AvroTypeRef }
  | { readonly kind: 'map'; readonly values: AvroTypeRef }
  | { readonly kind: 'union'; readonly types: readonly AvroTypeRef[] };

export interface AvroSchemaModel {
  /** The top-level type. */
  readonly root: AvroTypeRef;
  /** Every named type, in the order they are defined. */
  readonly named: readonly AvroNamed[];
  /** The avsc type, for validating values; absent when avsc rejects the schema. */
  readonly type?: avsc.Type;
  readonly problems: readonly AvroProblem[];
}

const primitives = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
/** Logical types of the Avro 1.11 specification; others are read as their underlying type, with a warning. */
const knownLogicalTypes = new Set([
  'decimal',
  'uuid',
  'date',
  'time-millis',
  'time-micros',
  'timestamp-millis',
  'timestamp-micros',
  'local-timestamp-millis',
  'local-timestamp-micros',
  'duration',
]);

type Raw = Record<string, unknown>;
const isRaw = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads an Avro schema: the model, and every problem with its place in the schema. */
export function readAvroSchema(schema: unknown): AvroSchemaModel {
  const problems: AvroProblem[] = [];
  const named: AvroNamed[] = [];
  const definedNames = new Set<string>();
  const references: { fullName: string; path: AvroPath }[] = [];

  const fullNameOf = (name: string, namespace: string | undefined): string =>
    name.includes('.') || !namespace ? name : `${namespace}.${name}`;

  const read = (node: unknown, path: AvroPath, namespace: string | undefined): AvroTypeRef => {
    if (typeof node === 'string') {
      if (primitives.has(node)) return { kind: 'primitive', name: node as 'null' };
      const fullName = primitives.has(node) ? node : fullNameOf(node, namespace);
      references.push({ fullName, path });
      return { kind: 'named', fullName };
    }
    if (Array.isArray(node))
      return { kind: 'union', types: node.map((t, i) => read(t, [...path, i], namespace)) };
    if (!isRaw(node)) {
      problems.push({
        severity: 'error',
        message: 'an Avro type must be a name, an object or a union (list)',
        path,
      });
      return { kind: 'primitive', name: 'null' };
    }
    const logicalType = typeof node.logicalType === 'string' ? node.logicalType : undefined;
    if (logicalType !== undefined && !knownLogicalTypes.has(logicalType)) {
      problems.push({
        severity: 'warning',
        message: `logical type "${logicalType}" is not part of the Avro specification: read as its underlying type`,
        path: [...path, 'logicalType'],
      });
    }
    const type = node.type;
    if (typeof type === 'string' && primitives.has(type))
      return { kind: 'primitive', name: type as 'null', ...(logicalType ? { logicalType } : {}) };
    if (type === 'array') return { kind: 'array', items: read(node.items, [...path, 'items'], namespace) };
    if (type === 'map') return { kind: 'map', values: read(node.values, [...path, 'values'], namespace) };
    if (type === 'record' || type === 'error' || type === 'enum' || type === 'fixed') {
      const name = typeof node.name === 'string' ? node.name : '';
      const ownNamespace = typeof node.namespace === 'string' ? node.namespace : namespace;
      const fullName = fullNameOf(name, ownNamespace);
      const innerNamespace = fullName.includes('.')
        ? fullName.slice(0, fullName.lastIndexOf('.'))
        : undefined;
      const simple = fullName.slice(fullName.lastIndexOf('.') + 1);
      const doc = typeof node.doc === 'string' && node.doc.trim() !== '' ? node.doc : undefined;
      definedNames.add(fullName);
      if (type === 'enum') {
        const symbols = Array.isArray(node.symbols) ? node.symbols.map(String) : [];
        named.push({ kind: 'enum', fullName, name: simple, ...(doc ? { doc } : {}), symbols });
      } else if (type === 'fixed') {
        const size = typeof node.size === 'number' ? node.size : 0;
        named.push({ kind: 'fixed', fullName, name: simple, ...(doc ? { doc } : {}), size });
      } else {
        // Registered before its fields, so a record may refer to itself.
        const fields: AvroField[] = [];
        named.push({ kind: 'record', fullName, name: simple, ...(doc ? { doc } : {}), fields });
        const rawFields = Array.isArray(node.fields) ? node.fields : [];
        rawFields.forEach((field, index) => {
          if (!isRaw(field)) return;
          const fieldDoc = typeof field.doc === 'string' && field.doc.trim() !== '' ? field.doc : undefined;
          fields.push({
            name: String(field.name ?? ''),
            ...(fieldDoc ? { doc: fieldDoc } : {}),
            type: read(field.type, [...path, 'fields', index, 'type'], innerNamespace),
            hasDefault: 'default' in field,
          });
        });
      }
      return { kind: 'named', fullName, ...(logicalType ? { logicalType } : {}) };
    }
    if (isRaw(type) || Array.isArray(type)) return read(type, [...path, 'type'], namespace);
    if (typeof type === 'string') {
      const fullName = fullNameOf(type, namespace);
      references.push({ fullName, path: [...path, 'type'] });
      return { kind: 'named', fullName };
    }
    if ('protocol' in node || 'messages' in node) {
      problems.push({
        severity: 'error',
        message: 'an Avro protocol is not a payload schema: give the record of the message',
        path,
      });
    } else {
      problems.push({ severity: 'error', message: 'an Avro type object needs a "type"', path });
    }
    return { kind: 'primitive', name: 'null' };
  };

  const root = read(schema, [], undefined);
  for (const reference of references) {
    if (!definedNames.has(reference.fullName)) {
      problems.push({
        severity: 'error',
        message: `Avro type "${reference.fullName}" is not defined in this schema (eventkit does not resolve names across schemas: define the type inline or $ref its file)`,
        path: reference.path,
      });
    }
  }
  let type: avsc.Type | undefined;
  if (!problems.some((problem) => problem.severity === 'error')) {
    try {
      // Wrapped unions: a union of two records is not ambiguous, and the JSON view says which branch.
      type = avsc.Type.forSchema(schema as avsc.Schema, { wrapUnions: true });
    } catch (error) {
      problems.push({ severity: 'error', message: `avsc: ${(error as Error).message}`, path: [] });
    }
  }
  return { root, named, ...(type ? { type } : {}), problems };
}

/** The named type of `ref`, if it is one. */
export function namedOf(model: AvroSchemaModel, fullName: string): AvroNamed | undefined {
  return model.named.find((candidate) => candidate.fullName === fullName);
}

/**
 * Problems of an example value (in the JSON view) against the schema, as `path: what` texts; [] when it
 * is valid. avsc checks it after `bytes`/`fixed` strings become the bytes they encode.
 */
export function avroExampleProblems(model: AvroSchemaModel, value: unknown): string[] {
  if (!model.type) return [];
  const problems: string[] = [];
  const data = fromJsonView(model, model.root, value);
  model.type.isValid(data, {
    errorHook: (path: string[], _value: unknown, type: avsc.Type) => {
      const where = path.length > 0 ? `/${path.join('/')}` : '(root)';
      const expected = type.typeName.replace(/^union:.*/, 'union');
      problems.push(`${where} is not a valid ${expected}${namedSuffix(type)}`);
    },
  });
  return problems;
}

function namedSuffix(type: avsc.Type): string {
  const name = (type as { name?: string }).name;
  return name ? ` (${name})` : '';
}

/** Converts the JSON view to avsc's value shape (bytes as Buffers); anything unexpected is left as is. */
function fromJsonView(model: AvroSchemaModel, ref: AvroTypeRef, value: unknown, depth = 0): unknown {
  if (depth > 64) return value;
  switch (ref.kind) {
    case 'primitive':
      return ref.name === 'bytes' && typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
    case 'array':
      return Array.isArray(value)
        ? value.map((item) => fromJsonView(model, ref.items, item, depth + 1))
        : value;
    case 'map':
      return isRaw(value)
        ? Object.fromEntries(
            Object.entries(value).map(([k, v]) => [k, fromJsonView(model, ref.values, v, depth + 1)]),
          )
        : value;
    case 'union': {
      // The first branch the value fits, wrapped as avsc expects (`{ "string": "…" }`); null stays null.
      for (const branch of ref.types) {
        const converted = fromJsonView(model, branch, value, depth + 1);
        if (!branchAccepts(model, branch, converted)) continue;
        return converted === null ? null : { [branchName(branch)]: converted };
      }
      return value;
    }
    case 'named': {
      const named = namedOf(model, ref.fullName);
      if (named?.kind === 'fixed') return typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
      if (named?.kind !== 'record' || !isRaw(value)) return value;
      const out: Raw = { ...value };
      for (const field of named.fields) {
        if (field.name in value)
          out[field.name] = fromJsonView(model, field.type, value[field.name], depth + 1);
      }
      return out;
    }
  }
}

/** avsc's key of a wrapped union branch: the full name of a named type, else the type's name. */
function branchName(branch: AvroTypeRef): string {
  return branch.kind === 'primitive' ? branch.name : branch.kind === 'named' ? branch.fullName : branch.kind;
}

/** Whether a converted value could belong to a union branch (a shallow check, enough to pick one). */
function branchAccepts(model: AvroSchemaModel, branch: AvroTypeRef, value: unknown): boolean {
  switch (branch.kind) {
    case 'primitive':
      switch (branch.name) {
        case 'null':
          return value === null;
        case 'boolean':
          return typeof value === 'boolean';
        case 'int':
        case 'long':
          return Number.isInteger(value);
        case 'float':
        case 'double':
          return typeof value === 'number';
        case 'bytes':
          return Buffer.isBuffer(value);
        case 'string':
          return typeof value === 'string';
      }
      return false;
    case 'array':
      return Array.isArray(value);
    case 'map':
      return isRaw(value);
    case 'union':
      return branch.types.some((inner) => branchAccepts(model, inner, value));
    case 'named': {
      const named = namedOf(model, branch.fullName);
      if (named?.kind === 'enum') return typeof value === 'string' && named.symbols.includes(value);
      if (named?.kind === 'fixed') return Buffer.isBuffer(value) && value.length === named.size;
      if (named?.kind !== 'record' || !isRaw(value)) return false;
      // A record branch: its required fields are there and nothing else is.
      const names = new Set(named.fields.map((field) => field.name));
      return (
        named.fields.every((field) => field.hasDefault || field.name in value) &&
        Object.keys(value).every((key) => names.has(key))
      );
    }
  }
}

/** Display name of a type use: `string`, `long (timestamp-millis)`, `Plan`, `map<string, long>`, `null | string`. */
export function avroTypeText(model: AvroSchemaModel, ref: AvroTypeRef): string {
  switch (ref.kind) {
    case 'primitive':
      return ref.logicalType ? `${ref.name} (${ref.logicalType})` : ref.name;
    case 'named': {
      const named = namedOf(model, ref.fullName);
      const base =
        named?.kind === 'fixed' ? `fixed ${named.name}[${named.size}]` : (named?.name ?? ref.fullName);
      return ref.logicalType ? `${base} (${ref.logicalType})` : base;
    }
    case 'array':
      return `array<${avroTypeText(model, ref.items)}>`;
    case 'map':
      return `map<string, ${avroTypeText(model, ref.values)}>`;
    case 'union':
      return ref.types.map((type) => avroTypeText(model, type)).join(' | ');
  }
}

/** The catalog's field tree of a record payload (nested records expanded, recursion cut). */
export function avroFieldModels(model: AvroSchemaModel): FieldModel[] {
  const fieldsOf = (ref: AvroTypeRef, seen: ReadonlySet<string>): FieldModel[] | undefined => {
    const named = ref.kind === 'named' ? namedOf(model, ref.fullName) : undefined;
    if (named?.kind !== 'record' || seen.has(named.fullName)) return undefined;
    const inner = new Set([...seen, named.fullName]);
    return named.fields.map((field) => fieldModel(field, inner));
  };
  const fieldModel = (field: AvroField, seen: ReadonlySet<string>): FieldModel => {
    const nonNull = withoutNull(field.type);
    const repeated = nonNull.kind === 'array';
    const value = nonNull.kind === 'array' ? withoutNull(nonNull.items) : nonNull;
    const named = value.kind === 'named' ? namedOf(model, value.fullName) : undefined;
    const nested = fieldsOf(value, seen);
    const kind: FieldModel['kind'] =
      named?.kind === 'enum'
        ? 'enum'
        : value.kind === 'map'
          ? 'map'
          : named?.kind === 'record'
            ? 'message'
            : 'scalar';
    return {
      name: field.name,
      kind,
      type: avroTypeText(model, repeated ? value : field.type),
      repeated,
      // Avro values carry every field; a field with a default may be missing from what a writer sends.
      required: !field.hasDefault,
      ...(field.doc ? { description: field.doc } : {}),
      ...(named?.kind === 'enum' ? { enumValues: named.symbols.map((name) => ({ name })) } : {}),
      ...(nested ? { fields: nested } : {}),
    };
  };
  return fieldsOf(model.root, new Set()) ?? [];
}

function withoutNull(ref: AvroTypeRef): AvroTypeRef {
  if (ref.kind !== 'union') return ref;
  const rest = ref.types.filter((type) => !(type.kind === 'primitive' && type.name === 'null'));
  return rest.length === 1 ? (rest[0] as AvroTypeRef) : ref;
}

/** JSON Schema of the JSON view (for compat, contracts and anything that reads `payload.jsonSchema`). */
export function avroJsonSchema(model: AvroSchemaModel): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  const schemaOf = (ref: AvroTypeRef): JsonSchema => {
    switch (ref.kind) {
      case 'primitive':
        return {
          type: {
            null: 'null',
            boolean: 'boolean',
            int: 'integer',
            long: 'integer',
            float: 'number',
            double: 'number',
            bytes: 'string',
            string: 'string',
          }[ref.name],
          ...(ref.logicalType ? { 'x-avro-logical-type': ref.logicalType } : {}),
        };
      case 'array':
        return { type: 'array', items: schemaOf(ref.items) };
      case 'map':
        return { type: 'object', additionalProperties: schemaOf(ref.values) };
      case 'union':
        return { anyOf: ref.types.map(schemaOf) };
      case 'named': {
        const key = ref.fullName;
        if (!(key in definitions)) {
          const named = namedOf(model, key);
          definitions[key] = {};
          definitions[key] = named ? namedSchema(named) : {};
        }
        return { $ref: `#/definitions/${key}` };
      }
    }
  };
  const namedSchema = (named: AvroNamed): JsonSchema => {
    const doc = named.doc ? { description: named.doc } : {};
    if (named.kind === 'enum') return { title: named.name, ...doc, type: 'string', enum: [...named.symbols] };
    if (named.kind === 'fixed') return { title: named.name, ...doc, type: 'string' };
    return {
      title: named.name,
      ...doc,
      type: 'object',
      // An Avro record value carries exactly its fields.
      additionalProperties: false,
      required: named.fields.filter((field) => !field.hasDefault).map((field) => field.name),
      properties: Object.fromEntries(
        named.fields.map((field) => [
          field.name,
          { ...schemaOf(field.type), ...(field.doc ? { description: field.doc } : {}) },
        ]),
      ),
    };
  };
  const root = schemaOf(model.root);
  // A named root is written out (not a $ref), so readers that walk `properties` see its fields.
  const rootName = model.root.kind === 'named' ? model.root.fullName : undefined;
  const own = rootName !== undefined ? (definitions[rootName] ?? root) : root;
  return { ...own, definitions };
}
