// The FieldModel tree of a JSON Schema payload (AsyncAPI documents without protobuf).
import type { FieldModel, JsonSchema } from '../types.ts';

type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Display type of a schema: `string (uuid)`, `integer | null`, `"captured"`, `one of: card | sepa`. */
function schemaType(schema: Schema, depth = 0): string {
  const nullable = schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes('null'));
  const orNull = (text: string): string => (nullable && !text.endsWith('| null') ? `${text} | null` : text);
  if ('const' in schema) return JSON.stringify(schema.const);
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && depth < 4) {
      const labels = options.map((option) =>
        isSchema(option) ? variantLabel(option, schema, depth) : 'any',
      );
      return orNull(`${key === 'oneOf' ? 'one of' : 'any of'}: ${labels.join(' | ')}`);
    }
  }
  const type = schema.type;
  const base = Array.isArray(type)
    ? type.filter((t) => t !== 'null').join(' | ')
    : typeof type === 'string'
      ? type
      : '';
  if (typeof schema.format === 'string' && base === 'string') return orNull(`string (${schema.format})`);
  if (base === 'array' && isSchema(schema.items)) return orNull(`${schemaType(schema.items, depth + 1)}[]`);
  if (base) return orNull(base);
  if (Array.isArray(schema.enum)) return 'enum';
  if (isSchema(schema.properties)) return orNull('object');
  return 'any';
}

/** A union member: its title, else its discriminator value (`type: card`), else its type. */
function variantLabel(option: Schema, union: Schema, depth: number): string {
  const flat = mergeAllOf(option) as Schema;
  if (typeof flat.title === 'string') return flat.title;
  const discriminator = typeof union.discriminator === 'string' ? union.discriminator : undefined;
  const properties = isSchema(flat.properties) ? flat.properties : {};
  const tag = discriminator ? properties[discriminator] : undefined;
  if (isSchema(tag) && 'const' in tag) return String(tag.const);
  return schemaType(flat, depth + 1);
}

/**
 * Merges `allOf` members so their properties, `required` lists, `type` and `description` count as the
 * object's own (the schema's own description wins, else the last member's: `allOf: [$ref, {description}]`
 * refines a shared schema). Members that are not
 * object schemas (a `oneOf`, a primitive) stay in `allOf`. Shared by the catalog fields and codegen.
 */
export function mergeAllOf(schema: JsonSchema): JsonSchema {
  if (!Array.isArray(schema.allOf)) return schema;
  const { allOf, ...own } = schema;
  const merged: Schema = {
    ...own,
    properties: { ...(isSchema(schema.properties) ? schema.properties : {}) },
    required: [...(Array.isArray(schema.required) ? schema.required : [])],
  };
  const rest: unknown[] = [];
  let memberDescription: string | undefined;
  for (const part of allOf as unknown[]) {
    if (!isSchema(part)) continue;
    const flat = mergeAllOf(part);
    const objectLike =
      isSchema(flat.properties) ||
      flat.type === 'object' ||
      Object.keys(flat).every((key) => key === 'description' || key === 'title' || key === 'required');
    if (!objectLike || 'oneOf' in flat || 'anyOf' in flat || 'allOf' in flat) {
      rest.push(flat);
      continue;
    }
    Object.assign(merged.properties as Schema, isSchema(flat.properties) ? flat.properties : {});
    (merged.required as unknown[]).push(...(Array.isArray(flat.required) ? flat.required : []));
    if (!merged.type && flat.type) merged.type = flat.type;
    if (typeof flat.description === 'string') memberDescription = flat.description;
    if (merged.additionalProperties === undefined && flat.additionalProperties !== undefined)
      merged.additionalProperties = flat.additionalProperties;
  }
  if (typeof merged.description !== 'string' && memberDescription !== undefined)
    merged.description = memberDescription;
  merged.required = [...new Set(merged.required as unknown[])];
  if (rest.length > 0) merged.allOf = rest;
  return merged;
}

const flatten = (schema: Schema): Schema => mergeAllOf(schema) as Schema;

export function jsonSchemaFieldModels(schema: JsonSchema, depth = 0): FieldModel[] {
  const flat = flatten(schema as Schema);
  if (!isSchema(flat.properties) || depth > 16) return [];
  const required = new Set(Array.isArray(flat.required) ? flat.required.map(String) : []);
  return Object.entries(flat.properties).map(([name, raw]) => {
    const property = isSchema(raw) ? flatten(raw) : {};
    const repeated = property.type === 'array';
    const value = repeated && isSchema(property.items) ? flatten(property.items) : property;
    const isEnum = Array.isArray(value.enum);
    const isMap = !isSchema(value.properties) && isSchema(value.additionalProperties);
    const isObject = isSchema(value.properties);
    const kind: FieldModel['kind'] = isEnum ? 'enum' : isMap ? 'map' : isObject ? 'message' : 'scalar';
    const nested = isObject ? jsonSchemaFieldModels(value, depth + 1) : undefined;
    const type = isMap
      ? `map<string, ${schemaType(value.additionalProperties as Schema)}>`
      : typeof value.title === 'string' && isObject
        ? value.title
        : schemaType(value);
    const description =
      typeof property.description === 'string'
        ? property.description
        : typeof value.description === 'string'
          ? value.description
          : undefined;
    return {
      name,
      kind,
      type,
      repeated,
      required: required.has(name),
      ...(description ? { description } : {}),
      ...(property.deprecated === true ? { deprecated: true } : {}),
      ...(isEnum ? { enumValues: (value.enum as unknown[]).map((v) => ({ name: String(v) })) } : {}),
      ...(nested ? { fields: nested } : {}),
    };
  });
}
