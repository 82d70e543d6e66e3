// TypeScript declarations for Avro payloads, in the JSON view examples are written in (see
// model/avro/avro-schema.ts): records become interfaces, enums string-literal unions, unions `A | B`,
// arrays `T[]`, maps `Record<string, T>`, int/long/float/double `number`, bytes/fixed `string`, logical
// types their underlying type (noted in the TSDoc). Fields with a default are optional.
import {
  type AvroNamed,
  type AvroSchemaModel,
  type AvroTypeRef,
  namedOf,
  readAvroSchema,
} from '../../model/avro/avro-schema.ts';
import { docText, pascalIdent } from './naming.ts';
import type { TsDeclaration } from './types.ts';

export interface AvroPayload {
  /** Short event name: the declaration the descriptor and examples refer to. */
  readonly name: string;
  /** Event type, for the declaration's doc. */
  readonly type: string;
  readonly schema: unknown;
  readonly description?: string;
}

/** Every declaration of the Avro payloads of one package (named types shared by full name). */
export function avroDeclarations(payloads: readonly AvroPayload[]): TsDeclaration[] {
  const models = payloads.map((payload) => ({ payload, model: readAvroSchema(payload.schema) }));
  // One declaration per named type (first definition wins); simple names that clash get their namespace.
  const named = new Map<string, AvroNamed>();
  for (const { model } of models)
    for (const type of model.named) if (!named.has(type.fullName)) named.set(type.fullName, type);
  const eventNames = new Set(payloads.map((payload) => payload.name));
  const rootNames = new Map<string, string>();
  for (const { payload, model } of models)
    if (model.root.kind === 'named' && namedOf(model, model.root.fullName)?.kind === 'record')
      rootNames.set(model.root.fullName, payload.name);
  const counts = new Map<string, number>();
  for (const type of named.values()) counts.set(type.name, (counts.get(type.name) ?? 0) + 1);
  const tsName = new Map<string, string>();
  for (const type of named.values()) {
    const root = rootNames.get(type.fullName);
    const clash = (counts.get(type.name) ?? 0) > 1 || (eventNames.has(type.name) && root !== type.name);
    tsName.set(type.fullName, root ?? (clash ? pascalIdent(type.fullName) : pascalIdent(type.name)));
  }

  const declarations = new Map<string, TsDeclaration>();
  for (const { payload, model } of models) {
    for (const type of model.named) {
      const name = tsName.get(type.fullName) as string;
      if (declarations.has(name)) continue;
      const root = rootNames.get(type.fullName) === name ? payload : undefined;
      declarations.set(name, declarationOf(type, name, root, model, tsName));
    }
    if (!declarations.has(payload.name)) {
      // The payload is not a record of its own name (a union, a primitive, a record named otherwise).
      const doc = docText(payload.description);
      declarations.set(payload.name, {
        kind: 'alias',
        name: payload.name,
        fullName: payload.type,
        ...(doc ? { doc } : {}),
        deprecated: false,
        type: typeText(model.root, model, tsName),
      });
    }
  }
  return [...declarations.values()];
}

function declarationOf(
  type: AvroNamed,
  name: string,
  root: AvroPayload | undefined,
  model: AvroSchemaModel,
  tsName: ReadonlyMap<string, string>,
): TsDeclaration {
  const doc = docText(type.doc ?? root?.description);
  const fullName = root?.type ?? type.fullName;
  const base = { name, fullName, ...(doc ? { doc } : {}), deprecated: false };
  switch (type.kind) {
    case 'record':
      return {
        ...base,
        kind: 'interface',
        fields: type.fields.map((field) => {
          const note = logicalNote(field.type);
          const fieldDoc = docText([field.doc, note].filter(Boolean).join('\n\n'));
          return {
            name: field.name,
            type: typeText(field.type, model, tsName),
            optional: field.hasDefault,
            ...(fieldDoc ? { doc: fieldDoc } : {}),
            deprecated: false,
          };
        }),
      };
    case 'enum':
      return { ...base, kind: 'enum', values: type.symbols.map((symbol) => ({ name: symbol })) };
    case 'fixed': {
      const fixedDoc = docText(
        [doc, `Avro fixed, ${type.size} bytes: a string of ${type.size} code points 0–255.`]
          .filter(Boolean)
          .join('\n\n'),
      );
      return { ...base, ...(fixedDoc ? { doc: fixedDoc } : {}), kind: 'alias', type: 'string' };
    }
  }
}

/** A TSDoc line for logical types and bytes (how the JSON view spells them). */
function logicalNote(ref: AvroTypeRef): string | undefined {
  const inner =
    ref.kind === 'union'
      ? ref.types.find((type) => !(type.kind === 'primitive' && type.name === 'null'))
      : ref;
  if (!inner || (inner.kind !== 'primitive' && inner.kind !== 'named')) return undefined;
  if (inner.logicalType) return `Avro logical type \`${inner.logicalType}\`.`;
  if (inner.kind === 'primitive' && inner.name === 'bytes')
    return 'Avro bytes: a string of code points 0–255.';
  if (inner.kind === 'primitive' && inner.name === 'long')
    return 'Avro long: exact up to 2^53 in JavaScript.';
  return undefined;
}

function typeText(ref: AvroTypeRef, model: AvroSchemaModel, tsName: ReadonlyMap<string, string>): string {
  switch (ref.kind) {
    case 'primitive':
      return {
        null: 'null',
        boolean: 'boolean',
        int: 'number',
        long: 'number',
        float: 'number',
        double: 'number',
        bytes: 'string',
        string: 'string',
      }[ref.name];
    case 'named':
      return tsName.get(ref.fullName) ?? 'unknown';
    case 'array': {
      const items = typeText(ref.items, model, tsName);
      return items.includes('|') ? `(${items})[]` : `${items}[]`;
    }
    case 'map':
      return `Record<string, ${typeText(ref.values, model, tsName)}>`;
    case 'union':
      return [...new Set(ref.types.map((type) => typeText(type, model, tsName)))].join(' | ') || 'never';
  }
}
