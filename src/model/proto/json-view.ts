// The proto3 canonical JSON view of a message, as JSON Schema (draft-07) and as a FieldModel tree.
// This is the view contracts, examples and the catalog use; the mapping follows
// https://protobuf.dev/programming-guides/json/ (camelCase names, 64-bit integers as strings, enums by name,
// bytes as base64, Timestamp/Duration as strings, wrappers as their value, maps as objects).
import protobuf from 'protobufjs';
import { jsonName } from '../names.ts';
import type { FieldModel, JsonSchema, SourceLocation } from '../types.ts';

type Schema = Record<string, unknown>;

const int64Pattern = '^-?[0-9]+$';
const uint64Pattern = '^[0-9]+$';

const int32Range = { minimum: -2147483648, maximum: 2147483647 };
const uint32Range = { minimum: 0, maximum: 4294967295 };

/** JSON Schema of a proto scalar type's canonical JSON form. */
export function scalarSchema(type: string): Schema | undefined {
  switch (type) {
    case 'string':
      return { type: 'string' };
    case 'bool':
      return { type: 'boolean' };
    case 'bytes':
      return { type: 'string', contentEncoding: 'base64', pattern: '^[A-Za-z0-9+/_-]*={0,2}$' };
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return { type: 'integer', ...int32Range };
    case 'uint32':
    case 'fixed32':
      return { type: 'integer', ...uint32Range };
    // 64-bit integers are strings in canonical JSON; parsers accept numbers too.
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return { type: ['string', 'integer'], pattern: int64Pattern };
    case 'uint64':
    case 'fixed64':
      return { type: ['string', 'integer'], pattern: uint64Pattern, minimum: 0 };
    case 'float':
    case 'double':
      return { anyOf: [{ type: 'number' }, { type: 'string', enum: ['NaN', 'Infinity', '-Infinity'] }] };
    default:
      return undefined;
  }
}

const wrapperTypes: Record<string, string> = {
  'google.protobuf.DoubleValue': 'double',
  'google.protobuf.FloatValue': 'float',
  'google.protobuf.Int64Value': 'int64',
  'google.protobuf.UInt64Value': 'uint64',
  'google.protobuf.Int32Value': 'int32',
  'google.protobuf.UInt32Value': 'uint32',
  'google.protobuf.BoolValue': 'bool',
  'google.protobuf.StringValue': 'string',
  'google.protobuf.BytesValue': 'bytes',
};

/** Well-known types whose JSON view is not an object of their fields. */
export function wellKnownSchema(fullName: string): Schema | undefined {
  switch (fullName) {
    case 'google.protobuf.Timestamp':
      return { type: 'string', format: 'date-time' };
    case 'google.protobuf.Duration':
      return { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]{1,9})?s$' };
    case 'google.protobuf.FieldMask':
      return { type: 'string' };
    case 'google.protobuf.Empty':
      return { type: 'object', additionalProperties: false };
    case 'google.protobuf.Struct':
      return { type: 'object' };
    case 'google.protobuf.Value':
      return {};
    case 'google.protobuf.ListValue':
      return { type: 'array' };
    case 'google.protobuf.Any':
      return { type: 'object', properties: { '@type': { type: 'string' } }, required: ['@type'] };
    default: {
      const wrapped = wrapperTypes[fullName];
      if (!wrapped) return undefined;
      const inner = scalarSchema(wrapped) as Schema;
      return { anyOf: [inner, { type: 'null' }] };
    }
  }
}

export function isWellKnown(fullName: string): boolean {
  return wellKnownSchema(fullName) !== undefined || fullName === 'google.protobuf.NullValue';
}

const fullNameOf = (t: protobuf.ReflectionObject) => t.fullName.replace(/^\./, '');

function describe(schema: Schema, comment: string | null | undefined, deprecated: boolean): Schema {
  if (comment) schema.description = comment.trim();
  if (deprecated) schema.deprecated = true;
  return schema;
}

function enumSchema(en: protobuf.Enum): Schema {
  if (fullNameOf(en) === 'google.protobuf.NullValue') return { type: 'null' };
  return describe({ type: 'string', enum: Object.keys(en.values) }, en.comment, false);
}

function mapKeySchema(keyType: string): Schema {
  if (keyType === 'bool') return { enum: ['true', 'false'] };
  if (keyType === 'string') return { type: 'string' };
  return {
    type: 'string',
    pattern: keyType.startsWith('u') || keyType.startsWith('fixed') ? uint64Pattern : int64Pattern,
  };
}

/**
 * JSON Schema (draft-07) of the canonical JSON view of `type`. Message types are inlined; a type that
 * refers to itself (directly or through others) goes to `definitions` and is referenced with `$ref`.
 */
export function jsonViewSchema(type: protobuf.Type): JsonSchema {
  const definitions: Record<string, Schema> = {};
  const recursive = new Set<string>();
  const messageSchema = (t: protobuf.Type, stack: readonly string[]): Schema => {
    const name = fullNameOf(t);
    const wk = wellKnownSchema(name);
    if (wk) return wk;
    if (stack.includes(name)) {
      recursive.add(name);
      return { $ref: `#/definitions/${name}` };
    }
    const inner = [...stack, name];
    const properties: Record<string, Schema> = {};
    for (const field of t.fieldsArray) {
      properties[jsonName(field.name)] = fieldSchema(field, inner);
    }
    const schema: Schema = describe(
      { type: 'object', title: name, properties, additionalProperties: false },
      t.comment,
      Boolean(t.options?.deprecated),
    );
    if (recursive.has(name) && !definitions[name]) definitions[name] = schema;
    return schema;
  };
  const valueSchema = (field: protobuf.Field, stack: readonly string[]): Schema => {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) return messageSchema(resolved, stack);
    if (resolved instanceof protobuf.Enum) return enumSchema(resolved);
    return scalarSchema(field.type) ?? {};
  };
  const fieldSchema = (field: protobuf.Field, stack: readonly string[]): Schema => {
    let schema: Schema;
    if (field instanceof protobuf.MapField) {
      schema = {
        type: 'object',
        propertyNames: mapKeySchema(field.keyType),
        additionalProperties: valueSchema(field, stack),
      };
    } else if (field.repeated) {
      schema = { type: 'array', items: valueSchema(field, stack) };
    } else {
      schema = { ...valueSchema(field, stack) };
      // A field that names a recursive type gets its own object so the description does not sit beside $ref.
      if ('$ref' in schema && (field.comment || field.options?.deprecated)) schema = { allOf: [schema] };
    }
    return describe(schema, field.comment, Boolean(field.options?.deprecated));
  };
  const root = messageSchema(type, []);
  const result: Schema = { $schema: 'http://json-schema.org/draft-07/schema#', ...root };
  if (Object.keys(definitions).length > 0) {
    // The root type itself may be recursive: point at the root instead of duplicating it.
    const rootName = fullNameOf(type);
    if (definitions[rootName]) {
      delete definitions[rootName];
      replaceRef(result, `#/definitions/${rootName}`, '#');
    }
    if (Object.keys(definitions).length > 0) result.definitions = sortKeys(definitions);
  }
  return result;
}

function replaceRef(node: unknown, from: string, to: string): void {
  if (Array.isArray(node)) {
    for (const n of node) replaceRef(n, from, to);
  } else if (node && typeof node === 'object') {
    const obj = node as Schema;
    if (obj.$ref === from) obj.$ref = to;
    for (const value of Object.values(obj)) replaceRef(value, from, to);
  }
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Display type of a field: `string`, `int64`, `common.v1.Money`, `map<string, int32>`. */
function displayType(field: protobuf.Field): string {
  const value = field.resolvedType ? fullNameOf(field.resolvedType) : field.type.replace(/^\./, '');
  return field instanceof protobuf.MapField ? `map<${field.keyType}, ${value}>` : value;
}

export type LocateMember = (typeName: string, member?: string) => SourceLocation | undefined;

/** The FieldModel tree of `type` in its JSON view. Nested `fields` stop at recursion and at well-known types. */
export function protoFieldModels(
  type: protobuf.Type,
  locate: LocateMember,
  stack: readonly string[] = [],
): FieldModel[] {
  const owner = fullNameOf(type);
  const inner = [...stack, owner];
  return type.fieldsArray.map((field) => {
    const resolved = field.resolvedType;
    const isMap = field instanceof protobuf.MapField;
    let kind: FieldModel['kind'] = 'scalar';
    let nested: FieldModel[] | undefined;
    let enumValues: FieldModel['enumValues'];
    if (resolved instanceof protobuf.Enum) {
      kind = isMap ? 'map' : 'enum';
      enumValues = Object.entries(resolved.values).map(([name, number]) => ({
        name,
        number,
        ...(resolved.comments?.[name] ? { description: (resolved.comments[name] as string).trim() } : {}),
      }));
    } else if (resolved instanceof protobuf.Type) {
      const name = fullNameOf(resolved);
      kind = isMap ? 'map' : isWellKnown(name) ? 'scalar' : 'message';
      if (!isWellKnown(name) && !inner.includes(name)) nested = protoFieldModels(resolved, locate, inner);
    } else if (isMap) {
      kind = 'map';
    }
    const model: FieldModel = {
      name: jsonName(field.name),
      protoName: field.name,
      number: field.id,
      kind,
      type: displayType(field),
      repeated: field.repeated && !isMap,
      required: false,
      ...(field.comment ? { description: field.comment.trim() } : {}),
      ...(field.options?.deprecated ? { deprecated: true } : {}),
      ...(enumValues ? { enumValues } : {}),
      ...(nested ? { fields: nested } : {}),
      ...withLocation(locate(owner, field.name)),
    };
    return model;
  });
}

function withLocation(location: SourceLocation | undefined): { location?: SourceLocation } {
  return location ? { location } : {};
}
