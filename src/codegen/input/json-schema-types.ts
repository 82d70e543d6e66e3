// TypeScript declarations for JSON Schema payloads (the AsyncAPI default schema format).
// Covers what payload schemas use: objects, arrays, `enum`/`const`, primitives, `oneOf`/`anyOf`/`allOf`
// (with a `discriminator` or sibling properties), nullable (`type: [x, 'null']` and OpenAPI's
// `nullable: true`). Types accept exactly what ajv accepts, so examples that validate also compile under
// `tsc --strict`. Descriptions anywhere in the schema (also inside `allOf` members) become TSDoc.
import { mergeAllOf } from '../../model/build/json-schema-fields.ts';
import type { JsonSchema } from '../../model/types.ts';
import { docText } from './naming.ts';
import type { TsDeclaration, TsField } from './types.ts';

type Schema = Readonly<Record<string, unknown>>;

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Nesting beyond this is typed `unknown` (schemas are already $ref-resolved and may be deep). */
const maxDepth = 24;

/** An interface for plain object schemas (also `allOf` of objects), else a type alias. */
export function declarationOfJsonSchema(name: string, fullName: string, schema: JsonSchema): TsDeclaration {
  const flat = mergeAllOf(schema);
  const doc = docText(typeof flat.description === 'string' ? flat.description : undefined);
  const deprecated = flat.deprecated === true;
  if (isPlainObject(flat)) {
    return {
      kind: 'interface',
      name,
      fullName,
      ...(doc ? { doc } : {}),
      deprecated,
      fields: fieldsOf(flat, 0),
    };
  }
  return { kind: 'alias', name, fullName, ...(doc ? { doc } : {}), deprecated, type: tsTypeOfSchema(flat) };
}

/** Whether the payload type is a plain object type (an interface), so `Partial<T>` overrides can be spread. */
export function isObjectPayload(schema: JsonSchema): boolean {
  return isPlainObject(mergeAllOf(schema));
}

/** An object with properties and nothing that makes it a union, an intersection or nullable. */
function isPlainObject(schema: Schema): boolean {
  return (
    (schema.type === 'object' || (schema.type === undefined && isSchema(schema.properties))) &&
    isSchema(schema.properties) &&
    schema.additionalProperties !== true &&
    schema.nullable !== true &&
    !('const' in schema) &&
    !Array.isArray(schema.enum) &&
    !['oneOf', 'anyOf', 'allOf', 'not', 'if'].some((key) => key in schema)
  );
}

function fieldsOf(schema: Schema, depth: number): TsField[] {
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const properties = isSchema(schema.properties) ? schema.properties : {};
  return Object.entries(properties).map(([name, property]) => {
    const propertySchema = isSchema(property) ? mergeAllOf(property) : {};
    const doc = docText(
      typeof propertySchema.description === 'string' ? propertySchema.description : undefined,
    );
    return {
      name,
      type: typeText(propertySchema, depth + 1),
      optional: !required.has(name),
      ...(doc ? { doc } : {}),
      deprecated: propertySchema.deprecated === true,
    };
  });
}

/** Inline TypeScript type text of a schema. */
export function tsTypeOfSchema(schema: Schema): string {
  return typeText(schema, 0);
}

function typeText(raw: Schema, depth: number): string {
  if (depth > maxDepth) return 'unknown';
  const schema = mergeAllOf(raw);
  const nullable = acceptsNull(schema);
  let text = ownTypeText(schema, depth);
  // Members `allOf` could not merge (unions, primitives) narrow the type: an intersection.
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.map((part) => wrap(typeText(isSchema(part) ? part : {}, depth + 1)));
    text = [...(text === 'unknown' ? [] : [wrap(text)]), ...parts].join(' & ') || 'unknown';
  }
  return nullable && !/(^|\| )null( \||$)/.test(text) && text !== 'unknown' ? `${text} | null` : text;
}

/** `nullable: true` (OpenAPI) accepts null unless an `enum`/`const` leaves it out (as ajv does). */
function acceptsNull(schema: Schema): boolean {
  if (schema.nullable !== true) return false;
  if ('const' in schema) return schema.const === null;
  if (Array.isArray(schema.enum)) return schema.enum.includes(null);
  return true;
}

function ownTypeText(schema: Schema, depth: number): string {
  if ('const' in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map(literal).join(' | ') || 'never';
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = schema[key];
    if (!Array.isArray(options)) continue;
    const members = options.map((option) => wrap(typeText(isSchema(option) ? option : {}, depth + 1)));
    // A union of object shapes is laid out one member per line (leading `|`); the formatter keeps it.
    const union =
      members.length > 1 && members.some((member) => member.includes('{'))
        ? members.map((member) => `\n| ${member}`).join('')
        : members.join(' | ') || 'never';
    // Properties beside the union (`properties` + `oneOf` of `required` lists) hold for every member.
    const { [key]: _union, discriminator: _tag, ...rest } = schema;
    const base = hasOwnShape(rest) ? typeText(rest, depth + 1) : undefined;
    return base && base !== 'unknown' ? `${wrap(base)} & (${union})` : union;
  }
  const types = Array.isArray(schema.type)
    ? schema.type.map(String)
    : typeof schema.type === 'string'
      ? [schema.type]
      : [];
  if (types.length === 0) return isSchema(schema.properties) ? objectType(schema, depth) : 'unknown';
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
        return arrayType(schema, depth);
      case 'object':
        return objectType(schema, depth);
      default:
        return 'unknown';
    }
  });
  return [...new Set(texts)].join(' | ');
}

/** A schema that says something about the value besides its union (`type`, `properties`, ...). */
function hasOwnShape(schema: Schema): boolean {
  return 'type' in schema || 'properties' in schema || 'const' in schema || 'enum' in schema;
}

function arrayType(schema: Schema, depth: number): string {
  if (Array.isArray(schema.prefixItems) || Array.isArray(schema.items)) {
    const tuple = (Array.isArray(schema.prefixItems) ? schema.prefixItems : schema.items) as unknown[];
    const members = tuple.map((item) => typeText(isSchema(item) ? item : {}, depth + 1));
    return `[${members.join(', ')}, ...unknown[]]`;
  }
  return `${wrap(typeText(isSchema(schema.items) ? schema.items : {}, depth + 1))}[]`;
}

function objectType(schema: Schema, depth: number): string {
  const fields = fieldsOf(schema, depth);
  const extra = isSchema(schema.additionalProperties)
    ? `[key: string]: ${valueWithFields(typeText(schema.additionalProperties, depth + 1), fields)}`
    : schema.additionalProperties === false && fields.length > 0
      ? undefined
      : fields.length === 0 || schema.additionalProperties === true
        ? '[key: string]: unknown'
        : undefined;
  const members = fields.map(
    (field) => `${JSON.stringify(field.name)}${field.optional ? '?' : ''}: ${field.type}`,
  );
  if (extra !== undefined) members.push(extra);
  // A documented member goes on its own line, so the formatter keeps its comment before it.
  if (!fields.some((field) => field.doc)) return `{ ${members.join('; ')} }`;
  const docs = fields.map((field) => (field.doc ? `/** ${field.doc.replace(/\n/g, ' ')} */\n` : ''));
  return `{\n${members.map((member, i) => `${docs[i] ?? ''}${member};\n`).join('')}}`;
}

/** An index signature must admit every named property's type (TS2411). */
function valueWithFields(value: string, fields: readonly TsField[]): string {
  if (value === 'unknown' || fields.length === 0) return value;
  const extra = fields.map((field) => (field.optional ? `${field.type} | undefined` : field.type));
  return [...new Set([value, ...extra])].map(wrap).join(' | ');
}

function literal(value: unknown): string {
  return value !== null && typeof value === 'object' ? 'unknown' : JSON.stringify(value);
}

/** Parenthesises a union or intersection (at the top level, outside braces, brackets and comments). */
function wrap(text: string): string {
  let nesting = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '"' || c === "'") {
      i = closingQuote(text, i);
    } else if (c === '{' || c === '(' || c === '[' || c === '<') nesting++;
    else if (c === '}' || c === ')' || c === ']' || c === '>') nesting--;
    else if ((c === '|' || c === '&') && nesting === 0) return `(${text})`;
  }
  return text;
}

function closingQuote(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === text[start]) return i;
  }
  return text.length;
}
