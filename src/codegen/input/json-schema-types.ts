// TypeScript declarations for JSON Schema payloads (the AsyncAPI default schema format).
// Covers what payload schemas use: objects, arrays, enums/consts, primitives, unions, nullable.
import type { JsonSchema } from '../../model/types.ts';
import { docText } from './naming.ts';
import type { TsDeclaration, TsField } from './types.ts';

type Schema = Readonly<Record<string, unknown>>;

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An interface for object schemas with properties, else a type alias. */
export function declarationOfJsonSchema(name: string, fullName: string, schema: JsonSchema): TsDeclaration {
  const doc = docText(typeof schema.description === 'string' ? schema.description : undefined);
  const deprecated = schema.deprecated === true;
  if (schema.type === 'object' && isSchema(schema.properties) && schema.additionalProperties !== true) {
    return {
      kind: 'interface',
      name,
      fullName,
      ...(doc ? { doc } : {}),
      deprecated,
      fields: fieldsOf(schema),
    };
  }
  return { kind: 'alias', name, fullName, ...(doc ? { doc } : {}), deprecated, type: tsTypeOfSchema(schema) };
}

function fieldsOf(schema: Schema): TsField[] {
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const properties = isSchema(schema.properties) ? schema.properties : {};
  return Object.entries(properties).map(([name, property]) => {
    const propertySchema = isSchema(property) ? property : {};
    const doc = docText(
      typeof propertySchema.description === 'string' ? propertySchema.description : undefined,
    );
    return {
      name,
      type: tsTypeOfSchema(propertySchema),
      optional: !required.has(name),
      ...(doc ? { doc } : {}),
      deprecated: propertySchema.deprecated === true,
    };
  });
}

/** Inline TypeScript type text of a schema. */
export function tsTypeOfSchema(schema: Schema): string {
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum))
    return schema.enum.map((value) => JSON.stringify(value)).join(' | ') || 'never';
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options))
      return options.map((option) => wrap(tsTypeOfSchema(isSchema(option) ? option : {}))).join(' | ');
  }
  if (Array.isArray(schema.allOf)) {
    return schema.allOf.map((part) => wrap(tsTypeOfSchema(isSchema(part) ? part : {}))).join(' & ');
  }
  const types = Array.isArray(schema.type)
    ? schema.type.map(String)
    : typeof schema.type === 'string'
      ? [schema.type]
      : [];
  if (types.length === 0) return isSchema(schema.properties) ? objectType(schema) : 'unknown';
  const texts = types.map((type) => {
    switch (type) {
      case 'string':
        return 'string';
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'array':
        return `${wrap(tsTypeOfSchema(isSchema(schema.items) ? schema.items : {}))}[]`;
      case 'object':
        return objectType(schema);
      default:
        return 'unknown';
    }
  });
  return texts.join(' | ');
}

function objectType(schema: Schema): string {
  const fields = fieldsOf(schema);
  const extra = isSchema(schema.additionalProperties)
    ? `[key: string]: ${tsTypeOfSchema(schema.additionalProperties)}`
    : schema.additionalProperties === true || fields.length === 0
      ? '[key: string]: unknown'
      : undefined;
  const members = fields.map(
    (field) => `${JSON.stringify(field.name)}${field.optional ? '?' : ''}: ${field.type}`,
  );
  if (extra !== undefined) members.push(extra);
  return `{ ${members.join('; ')} }`;
}

function wrap(text: string): string {
  return /[|&]/.test(text) && !text.startsWith('{') ? `(${text})` : text;
}
