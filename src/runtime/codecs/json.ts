// JSON Schema payloads: UTF-8 JSON on the wire, validated by ajv (compiled once per codec).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Codec } from '../api.ts';
import { DecodeError, SchemaError } from '../errors.ts';

// ajv-formats ships CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

let shared: Ajv | undefined;
function ajv(): Ajv {
  if (!shared) {
    shared = new Ajv({ allErrors: true, strict: false, validateSchema: false });
    addFormats(shared);
  }
  return shared;
}

function errorsText(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '(root)'}: ${e.message ?? 'invalid'}`);
}

export function jsonCodec<T>(schema: Readonly<Record<string, unknown>>, type = 'json payload'): Codec<T> {
  let validateFn: ValidateFunction | undefined;
  const validator = (): ValidateFunction => {
    validateFn ??= ajv().compile(schema as Record<string, unknown>);
    return validateFn;
  };
  const encoder = new TextEncoder();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const check = (value: unknown): string[] => (validator()(value) ? [] : errorsText(validator().errors));
  return {
    contentType: 'application/json',
    encode: (value: T) => encoder.encode(JSON.stringify(value)),
    decode(bytes: Uint8Array): T {
      let value: unknown;
      try {
        value = JSON.parse(decoder.decode(bytes));
      } catch (error) {
        throw new DecodeError(type, (error as Error).message, { cause: error });
      }
      const problems = check(value);
      if (problems.length > 0) throw new SchemaError(type, problems);
      return value as T;
    },
    toJson: (value: T) => JSON.parse(JSON.stringify(value)) as unknown,
    fromJson(json: unknown): T {
      const problems = check(json);
      if (problems.length > 0) throw new SchemaError(type, problems);
      return structuredClone(json) as T;
    },
    validate: check,
  };
}
