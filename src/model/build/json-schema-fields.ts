// The FieldModel tree of a JSON Schema payload (AsyncAPI documents without protobuf).
import type { FieldModel, JsonSchema } from '../types.ts';

type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

function schemaType(schema: Schema): string {
  const type = schema.type;
  const base = Array.isArray(type)
    ? type.filter((t) => t !== 'null').join(' | ')
    : typeof type === 'string'
      ? type
      : '';
  if (typeof schema.format === 'string' && base === 'string') return `string (${schema.format})`;
  if (base) return base;
  if (Array.isArray(schema.enum)) return 'enum';
  if (isSchema(schema.properties)) return 'object';
  return 'any';
}

/** Merges `allOf` members so their properties count as the object's own. */
function flatten(schema: Schema): Schema {
  if (!Array.isArray(schema.allOf)) return schema;
  const merged: Schema = {
    ...schema,
    properties: { ...(isSchema(schema.properties) ? schema.properties : {}) },
    required: [...(Array.isArray(schema.required) ? schema.required : [])],
  };
  for (const part of schema.allOf) {
    if (!isSchema(part)) continue;
    const flat = flatten(part);
    Object.assign(merged.properties as Schema, isSchema(flat.properties) ? flat.properties : {});
    (merged.required as unknown[]).push(...(Array.isArray(flat.required) ? flat.required : []));
    if (!merged.type && flat.type) merged.type = flat.type;
  }
  return merged;
}

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
