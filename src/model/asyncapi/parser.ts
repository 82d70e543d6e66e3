// The AsyncAPI parser eventkit uses: core ruleset only, the document-structure rule re-wired to a validator
// compiled once per machine (the stock rule compiles the AsyncAPI JSON Schema per document, ~0.5 s each;
// see structure-validator.ts), and eventkit's protobuf schema parser.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Parser, type SchemaParser } from '@asyncapi/parser';
import { lineColumnAt } from '../diagnostics.ts';
import {
  arrayNestingMessage,
  inputFileProblem,
  maxNestingDepth,
  nestingMessage,
  tooDeepAt,
  tooManyArraysAt,
  valueDepth,
} from '../input-limits.ts';
import { parseYamlSource } from '../source-map.ts';
import { offlineResolvers } from './remote-refs.ts';
import { encodeReservedKeys } from './reserved-keys.ts';
import { cachedStructureFunction } from './structure-validator.ts';

/** A file reached by `$ref` that eventkit did not hand to the parser, and why. */
export interface RefusedFile {
  readonly ruleId: 'file-unreadable' | 'file-too-deep';
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

type RulesetFunction = (target: unknown, options: unknown, context: Record<string, unknown>) => unknown;

const require = createRequire(import.meta.url);

function cachedDocumentStructure(): RulesetFunction | undefined {
  try {
    const module = require('@asyncapi/parser/cjs/ruleset/functions/documentStructure.js') as {
      documentStructure?: RulesetFunction;
    };
    const original = module.documentStructure;
    if (typeof original !== 'function') return undefined;
    // Spectral caches compiled schemas per document inventory; one shared key makes the cache global.
    const sharedInventory = {};
    return (target, options, context) =>
      original(target, options, { ...context, documentInventory: sharedInventory });
  } catch {
    return undefined;
  }
}

export function createAsyncApiParser(
  schemaParsers: readonly SchemaParser[] = [],
  options: {
    readonly offline?: boolean;
    /**
     * Receives the files reached by `$ref` that break an input limit (absolute path → why, with the line).
     * They are answered with an empty document: throwing would make the parser read them with its own
     * resolver (and hang on a FIFO or on lists nested 40 deep).
     */
    readonly refused?: Map<string, RefusedFile>;
  } = {},
): Parser {
  const structure = cachedStructureFunction() ?? cachedDocumentStructure();
  const structureRule = (resolved: boolean) => ({
    description: `Checking if the AsyncAPI document has valid ${resolved ? 'resolved' : 'unresolved'} structure.`,
    message: '{{error}}',
    severity: 'error' as const,
    recommended: true,
    ...(resolved ? {} : { resolved: false }),
    given: '$',
    // biome-ignore lint/suspicious/noThenProperty: Spectral's rule format names its action `then`.
    then: { function: structure, functionOptions: { resolved } },
  });
  const rules: Record<string, unknown> = { 'asyncapi-latest-version': 'off' };
  if (structure) {
    rules['asyncapi-document-resolved'] = structureRule(true);
    // The unresolved-structure rule only reports `$ref` used where AsyncAPI forbids it, yet costs a second
    // compile of the whole AsyncAPI JSON Schema (~0.7 s); eventkit's own ref checks cover what matters.
    rules['asyncapi-document-unresolved'] = 'off';
  }
  return new Parser({
    ruleset: { core: true, recommended: false, rules } as never,
    schemaParsers: [...schemaParsers],
    // Files reached by `$ref` are read like documents: never a FIFO or an oversized file, and with the
    // same spelling of reserved keys as the document that refers to them. Offline: http(s) $refs fail
    // at once instead of fetching (reported by remote-refs.ts).
    __unstable: {
      resolver: {
        resolvers: [
          {
            schema: 'file',
            order: 1,
            read: async (uri) => {
              const file = decodeURIComponent(uri.toString().replace(/^file:\/\//, ''));
              const refuse = (refusal: RefusedFile): string => {
                options.refused?.set(file, refusal);
                return '{}';
              };
              const problem = inputFileProblem(file);
              // A missing file is the parser's own "does not exist" error (reported at the $ref).
              if (problem === 'does not exist') throw new Error(`${path.basename(file)} ${problem}`);
              if (problem) return refuse({ ruleId: 'file-unreadable', message: problem, line: 1, column: 1 });
              const text = await readFile(file, 'utf8');
              const tooDeep = tooDeepAt(text);
              if (tooDeep !== undefined) {
                const pos = lineColumnAt(text, tooDeep);
                return refuse({ ruleId: 'file-too-deep', message: nestingMessage(), ...pos });
              }
              // The parser's own YAML reader throws on what eventkit's reports cleanly (`!!binary`).
              const source = parseYamlSource(text);
              const first = source.errors[0];
              if (first) throw new Error(`${path.basename(file)}:${first.line}: ${first.message}`);
              // The limits of documents hold for the files they refer to (the parser reads those itself).
              if (valueDepth(source.value) > maxNestingDepth())
                return refuse({ ruleId: 'file-too-deep', message: nestingMessage(), line: 1, column: 1 });
              const arrays = tooManyArraysAt(source.value);
              if (arrays !== undefined)
                return refuse({
                  ruleId: 'file-too-deep',
                  message: arrayNestingMessage(),
                  ...source.locate(arrays.map(String)),
                });
              return encodeReservedKeys(text);
            },
          },
          ...(options.offline ? offlineResolvers() : []),
        ],
      },
    },
  });
}

/**
 * A parser diagnostic's message without the library's internals: an exception inside the parser arrives as
 * "Error thrown during AsyncAPI document validation. Name: …, message: …, stack: …" with a stack trace.
 */
export function parserMessage(message: string): string {
  const thrown =
    /^Error thrown during AsyncAPI document validation\. Name: (\w+), message: ([\s\S]*?), stack: [\s\S]*$/.exec(
      message,
    );
  const text = thrown ? `the AsyncAPI parser failed on this document: ${thrown[2]} (${thrown[1]})` : message;
  return text
    .split('\n')
    .filter((line) => !/^\s+at /.test(line))
    .join('\n')
    .trim();
}
