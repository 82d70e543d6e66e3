// Examples must match the payload's JSON view schema (and the header schema), checked with ajv.
// Each schema is compiled once per lint run.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { avroExampleProblems, readAvroSchema } from '../avro/avro-schema.ts';
import { diagnostic } from '../diagnostics.ts';
import type { Diagnostic, EventModel, JsonSchema } from '../types.ts';
import { below, type DesignRule } from './context.ts';

// ajv-formats ships CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

export function createSchemaValidator(): (schema: JsonSchema) => ValidateFunction | string {
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
  addFormats(ajv);
  const cache = new WeakMap<object, ValidateFunction | string>();
  return (schema) => {
    let compiled = cache.get(schema);
    if (compiled === undefined) {
      try {
        const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
        compiled = ajv.compile(rest);
      } catch (error) {
        compiled = error instanceof Error ? error.message : String(error);
      }
      cache.set(schema, compiled);
    }
    return compiled as ValidateFunction | string;
  };
}

export function describeAjvErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 3)
    .map((e) => {
      const where = e.instancePath || '(root)';
      const extra =
        e.keyword === 'additionalProperties'
          ? ` "${String((e.params as { additionalProperty?: string }).additionalProperty)}"`
          : '';
      return `${where} ${e.message ?? 'is invalid'}${extra}`;
    })
    .join('; ');
}

/** Avro examples are checked by avsc (in their JSON view: unions unwrapped, bytes as strings). */
function avroExampleFindings(
  event: EventModel,
  schema: unknown,
  context: Parameters<DesignRule>[1],
): Diagnostic[] {
  const model = readAvroSchema(schema);
  if (!model.type) return []; // the schema itself is reported by avro-schema-invalid
  return event.examples.flatMap((example) => {
    const problems = avroExampleProblems(model, example.payload);
    if (problems.length === 0) return [];
    const at = example.location ?? event.location;
    return [
      diagnostic(
        'example-invalid',
        `example "${example.name}" does not match the Avro schema of ${event.type}: ${problems.slice(0, 3).join('; ')}`,
        below(context, at, '/payload'),
        {
          hint: 'Write Avro examples in their JSON view: a union member as the plain value (not {"string": …}), bytes as a string, logical types as their underlying type.',
        },
      ),
    ];
  });
}

export const exampleInvalid: DesignRule = (registry, context) => {
  const validatorFor = createSchemaValidator();
  const out: Diagnostic[] = [];
  for (const event of registry.events) {
    if (event.examples.length === 0) continue;
    if (event.payload.kind === 'avro') {
      out.push(...avroExampleFindings(event, event.payload.schema, context));
      continue;
    }
    const payloadValidator = validatorFor(event.payload.jsonSchema);
    const headerValidator = event.headers ? validatorFor(event.headers) : undefined;
    event.examples.forEach((example) => {
      const at = example.location ?? event.location;
      if (typeof payloadValidator === 'string') {
        out.push(
          diagnostic(
            'example-invalid',
            `cannot check examples of ${event.type}: its payload schema does not compile (${payloadValidator})`,
            at,
          ),
        );
        return;
      }
      if (!payloadValidator(example.payload)) {
        out.push(
          diagnostic(
            'example-invalid',
            `example "${example.name}" does not match the ${event.payload.kind === 'protobuf' ? 'proto3 JSON view of ' : 'payload schema of '}${event.type}: ${describeAjvErrors(payloadValidator.errors)}`,
            below(context, at, '/payload'),
            {
              hint:
                event.payload.kind === 'protobuf'
                  ? 'Examples use the proto3 canonical JSON view: camelCase names, 64-bit integers as strings, enums by name, Timestamps as RFC 3339 strings.'
                  : 'Make the example match the payload schema.',
            },
          ),
        );
      }
      if (
        headerValidator &&
        typeof headerValidator !== 'string' &&
        example.headers &&
        !headerValidator(example.headers)
      ) {
        out.push(
          diagnostic(
            'example-invalid',
            `headers of example "${example.name}" do not match the header schema: ${describeAjvErrors(headerValidator.errors)}`,
            below(context, at, '/headers'),
          ),
        );
      }
    });
  }
  return out;
};
