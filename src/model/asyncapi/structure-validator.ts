// The AsyncAPI document-structure check, with the compiled validator cached on disk.
//
// The parser's stock rule compiles the whole AsyncAPI JSON Schema (~180 KB, every protocol binding) with ajv
// for each document, ~0.5 s of CPU each time, and still ~0.7 s once per process. We compile it once per
// machine: ajv's standalone code is written to node_modules/.cache/eventkit and `require`d afterwards.
// Messages stay the parser's: same prepared schema (`getSchema`), same error filtering, same
// better-ajv-errors wording.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const require = createRequire(import.meta.url);
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
  options?: unknown,
) => Ajv;

type Schema = Record<string, unknown>;
type BetterAjvErrors = (
  schema: unknown,
  errors: ErrorObject[],
  options: { propertyPath: (string | number)[]; targetValue: unknown },
) => {
  suggestion?: string;
  error: string;
  path: string;
}[];

interface SpectralContext {
  readonly document?: { readonly formats?: unknown };
  readonly path: (string | number)[];
}

/** Where compiled validators are kept: next to the installed packages, so their `require`s resolve. */
function cacheDirectory(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const ajvPackage = path.dirname(require.resolve('ajv/package.json'));
  return (
    process.env.EVENTKIT_CACHE_DIR ??
    path.join(path.dirname(ajvPackage), '.cache', 'eventkit', path.basename(path.resolve(here, '../../..')))
  );
}

const ajvOptions = {
  allErrors: true,
  meta: true,
  messages: true,
  strict: false,
  allowUnionTypes: true,
  unicodeRegExp: false,
} as const;
const validators = new WeakMap<object, ValidateFunction>();

function compileWithCache(schema: Schema): ValidateFunction {
  const cached = validators.get(schema);
  if (cached) return cached;
  const ajvVersion = (require('ajv/package.json') as { version: string }).version;
  const key = createHash('sha1')
    .update(`${ajvVersion}\u0000${JSON.stringify(ajvOptions)}\u0000${JSON.stringify(schema)}`)
    .digest('hex')
    .slice(0, 16);
  const file = path.join(cacheDirectory(), `asyncapi-structure-${key}.cjs`);
  let validate: ValidateFunction | undefined;
  try {
    validate = require(file) as ValidateFunction;
  } catch {
    // Not cached yet (or unreadable): compile and try to store it.
  }
  if (!validate) {
    const ajv = new Ajv({ ...ajvOptions, code: { source: true } });
    addFormats(ajv);
    validate = ajv.compile(schema);
    try {
      const standalone = require('ajv/dist/standalone') as {
        default: (ajv: Ajv, validate: ValidateFunction) => string;
      };
      const code = standalone.default(ajv, validate);
      mkdirSync(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, code);
      renameSync(temporary, file);
    } catch {
      // A read-only install just compiles every time.
    }
  }
  validators.set(schema, validate);
  return validate;
}

// From @asyncapi/parser's documentStructure: keep the errors that explain the problem.
function shouldIgnoreError(error: ErrorObject): boolean {
  return (
    error.keyword === 'oneOf' ||
    (error.keyword === 'required' &&
      (error.params as { missingProperty?: string }).missingProperty === '$ref')
  );
}

function prepareResults(errors: ErrorObject[]): void {
  for (let i = 0; i < errors.length; i++) {
    const error = errors[i] as ErrorObject;
    if (error.keyword === 'additionalProperties') {
      error.instancePath = `${error.instancePath}/${String((error.params as { additionalProperty?: string }).additionalProperty)}`;
    } else if (
      error.keyword === 'required' &&
      (error.params as { missingProperty?: string }).missingProperty === '$ref'
    ) {
      errors.splice(i, 1);
      i--;
    }
  }
  for (let i = 0; i < errors.length; i++) {
    const error = errors[i] as ErrorObject;
    if (i + 1 < errors.length && (errors[i + 1] as ErrorObject).instancePath === error.instancePath) {
      errors.splice(i + 1, 1);
      i--;
    } else if (
      i > 0 &&
      shouldIgnoreError(error) &&
      (errors[i - 1] as ErrorObject).instancePath.startsWith(error.instancePath)
    ) {
      errors.splice(i, 1);
      i--;
    }
  }
}

/**
 * A Spectral rule function checking the resolved document against the AsyncAPI JSON Schema of its version,
 * or undefined when the parser's internals are not where we expect them (then the stock rule stays on).
 */
export function cachedStructureFunction():
  | ((
      target: unknown,
      options: unknown,
      context: SpectralContext,
    ) => { message: string; path: (string | number)[] }[])
  | undefined {
  let getSchema: (formats: unknown, resolved: boolean) => Schema | undefined;
  let betterAjvErrors: BetterAjvErrors;
  try {
    getSchema = (
      require('@asyncapi/parser/cjs/ruleset/functions/documentStructure.js') as {
        getSchema: typeof getSchema;
      }
    ).getSchema;
    const better = require('@stoplight/better-ajv-errors') as BetterAjvErrors | { default: BetterAjvErrors };
    betterAjvErrors = typeof better === 'function' ? better : better.default;
    if (typeof getSchema !== 'function' || typeof betterAjvErrors !== 'function') return undefined;
  } catch {
    return undefined;
  }
  return (target, _options, context) => {
    const formats = context.document?.formats;
    if (!formats) return [];
    const schema = getSchema(formats, true);
    if (!schema) return [];
    const validate = compileWithCache(schema);
    if (validate(target) || !validate.errors) return [];
    const errors = [...validate.errors];
    prepareResults(errors);
    return betterAjvErrors(schema, errors, { propertyPath: context.path, targetValue: target })
      .map(({ suggestion, error, path: errorPath }) => ({
        message: suggestion !== undefined ? `${error}. ${suggestion}` : error,
        path: [...context.path, ...(errorPath !== '' ? errorPath.replace(/^\//, '').split('/') : [])],
      }))
      .filter((result) => result.message !== 'Property "$ref" is not expected to be here');
  };
}
