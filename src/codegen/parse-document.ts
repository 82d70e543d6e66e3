// Parses a service's AsyncAPI document for the generator template, with eventkit's protobuf schema parser
// registered: payloads given as fully qualified proto message names (which the stock protobuf parser
// cannot resolve) are looked up in the registry and replaced by the JSON Schema of their JSON view.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type AsyncAPIDocumentInterface, Parser, type SchemaParser } from '@asyncapi/parser';
import { parserMessage } from '../model/asyncapi/parser.ts';
import type { Registry, ServiceModel } from '../model/types.ts';
import { CodegenError } from './errors.ts';

// The formats eventkit's model reads as protobuf (see src/model/asyncapi/schema-parser.ts).
const protobufFormats = [
  'application/vnd.google.protobuf;version=3',
  'application/vnd.google.protobuf;version=2',
  'application/vnd.google.protobuf',
  'application/x-protobuf',
  'application/protobuf',
];

/**
 * Resolves protobuf payloads through the registry: a message name (or inline proto text, the stock form)
 * becomes the JSON Schema of the message's JSON view. The registry already validated every payload, and
 * the template takes payload types from its input, so an unmatched payload becomes an open schema.
 */
export function registrySchemaParser(registry: Registry): SchemaParser {
  const schemas = new Map<string, Readonly<Record<string, unknown>>>();
  for (const event of registry.events) {
    if (event.payload.kind !== 'protobuf') continue;
    schemas.set(event.payload.messageType, event.payload.jsonSchema);
    if (!schemas.has(event.payload.protoSource.trim()))
      schemas.set(event.payload.protoSource.trim(), event.payload.jsonSchema);
  }
  const keyOf = (data: unknown): string => (typeof data === 'string' ? data.trim() : '');
  return {
    getMimeTypes: () => protobufFormats,
    validate: (input) => {
      if (schemas.has(keyOf(input.data))) return [];
      return [
        {
          message: `proto payload "${keyOf(input.data).slice(0, 80)}" is not in the registry`,
          path: [...input.path],
        },
      ];
    },
    // A fresh copy each time: the parser annotates schemas in place and the registry is frozen.
    parse: (input) =>
      structuredClone(schemas.get(keyOf(input.data)) ?? { type: 'object' }) as Record<string, unknown>,
  };
}

/** Parses one document; throws a CodegenError listing the parser's errors when it cannot. */
export async function parseServiceDocument(
  registry: Registry,
  service: ServiceModel,
  parser: Parser,
): Promise<AsyncAPIDocumentInterface> {
  const file = path.resolve(registry.config.root, service.document.file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CodegenError(`${service.document.file}: cannot read: ${(error as Error).message}`, {
      cause: error,
      file: service.document.file,
    });
  }
  const { document, diagnostics } = await parser.parse(text, { source: file });
  if (!document) {
    const errors = diagnostics
      .filter((diagnostic) => diagnostic.severity === 0)
      .map(
        (diagnostic) =>
          `  ${service.document.file}:${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1} ${parserMessage(diagnostic.message)}`,
      );
    throw new CodegenError(
      `${service.document.file}: the AsyncAPI parser rejected the document:\n${errors.join('\n')}`,
      {
        file: service.document.file,
      },
    );
  }
  return document;
}

/**
 * A parser without Spectral rules (the registry already validated and linted every document; the rules
 * cost ~0.7 s per document) that knows the registry's proto messages.
 */
export function createDocumentParser(registry: Registry): Parser {
  return new Parser({
    schemaParsers: [registrySchemaParser(registry)],
    ruleset: { core: false, recommended: false },
  });
}
