// eventkit's own AsyncAPI schema parser for protobuf payloads. Unlike the stock one it accepts a
// fully-qualified message name resolved in the configured proto roots (imports allowed), or inline proto text.
// It returns the JSON Schema of the proto3 canonical JSON view. It never fails the document: unknown
// messages and inline syntax errors become eventkit diagnostics (`proto-not-found`, `proto-syntax`) instead.
import type { SchemaParser } from '@asyncapi/parser';
import { createInlineProtoParser, looksLikeProtoSource } from '../proto/inline.ts';
import { jsonViewSchema } from '../proto/json-view.ts';
import type { ProtoLibrary } from '../proto/library.ts';

export const protobufSchemaFormats = [
  'application/vnd.google.protobuf;version=3',
  'application/vnd.google.protobuf',
  'application/x-protobuf',
  'application/protobuf',
] as const;

export function isProtobufSchemaFormat(format: unknown): boolean {
  return (
    typeof format === 'string' &&
    (protobufSchemaFormats as readonly string[]).includes(format.replace(/\s+/g, ''))
  );
}

export function createProtobufSchemaParser(library: ProtoLibrary): SchemaParser {
  const inline = createInlineProtoParser(library);
  return {
    getMimeTypes: () => [...protobufSchemaFormats],
    validate: () => [],
    parse: (input) => {
      const data = input.data;
      if (typeof data !== 'string') return {};
      const meta = input.meta as { message?: { name?: unknown } } | undefined;
      const name = typeof meta?.message?.name === 'string' ? meta.message.name : undefined;
      if (looksLikeProtoSource(data)) {
        const result = inline(data, name);
        return result.ok ? (jsonViewSchema(result.type) as Record<string, unknown>) : {};
      }
      const type = library.findType(data.trim());
      return type ? (jsonViewSchema(type) as Record<string, unknown>) : {};
    },
  };
}
