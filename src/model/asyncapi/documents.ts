// Finds the AsyncAPI documents of a project and reads them with positions. Unreadable files, YAML syntax
// errors and non-3.x documents become diagnostics here, before the AsyncAPI parser sees anything.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { diagnostic, lineColumnAt, location, relativePath } from '../diagnostics.ts';
import {
  arrayNestingMessage,
  globInputs,
  inputFileProblem,
  maxNestingDepth,
  nestingMessage,
  tooDeepAt,
  tooManyArraysAt,
  valueDepth,
} from '../input-limits.ts';
import { parseYamlSource, type YamlSource } from '../source-map.ts';
import type { Diagnostic, EventkitConfig, SourceLocation } from '../types.ts';

export interface SourceDocument {
  /** Relative to the config root, posix separators. */
  readonly file: string;
  readonly absolutePath: string;
  readonly text: string;
  readonly source: YamlSource;
  /** The parsed document (an object). */
  readonly raw: Record<string, unknown>;
}

export interface DocumentSet {
  /** Readable AsyncAPI 3 documents, sorted by file. */
  readonly documents: readonly SourceDocument[];
  /** Every path the globs matched (including the unreadable ones). */
  readonly matched: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Why a file's bytes are not a text document, or undefined when they are. */
function unreadableReason(bytes: Buffer): string | undefined {
  if (bytes.length === 0 || bytes.toString('utf8').trim() === '') return 'is empty';
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0)) return 'is binary, not YAML or JSON text';
  const text = sample.toString('utf8');
  const replacement = (text.match(/\uFFFD/g) ?? []).length;
  if (replacement > 0) return 'is not valid UTF-8 text';
  return undefined;
}

export type ReadOutcome =
  | { readonly ok: true; readonly text: string; readonly source: YamlSource }
  | { readonly ok: false; readonly diagnostic: Diagnostic };

/** Reads one YAML/JSON file with positions; every failure is a diagnostic located in that file. */
export function readYamlFile(root: string, absolutePath: string, bytes?: Buffer): ReadOutcome {
  const file = relativePath(root, absolutePath);
  let data = bytes;
  if (!data) {
    const problem = inputFileProblem(absolutePath);
    if (problem)
      return {
        ok: false,
        diagnostic: diagnostic('file-unreadable', `${file} ${problem}`, location(file)),
      };
    try {
      data = readFileSync(absolutePath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return {
        ok: false,
        diagnostic: diagnostic(
          'file-unreadable',
          `cannot read ${file}: ${code ?? String(error)}`,
          location(file),
        ),
      };
    }
  }
  const reason = unreadableReason(data);
  if (reason)
    return {
      ok: false,
      diagnostic: diagnostic('file-unreadable', `${file} ${reason}`, location(file), {
        hint: 'Write an AsyncAPI 3.0 document in YAML or JSON, or remove the file.',
      }),
    };
  const text = data.toString('utf8');
  const tooDeep = tooDeepAt(text);
  if (tooDeep !== undefined) {
    const pos = lineColumnAt(text, tooDeep);
    return {
      ok: false,
      diagnostic: diagnostic(
        'file-too-deep',
        `${file} ${nestingMessage()}`,
        location(file, pos.line, pos.column),
      ),
    };
  }
  const source = parseYamlSource(text);
  const first = source.errors[0];
  if (first) {
    return {
      ok: false,
      diagnostic: diagnostic('yaml-syntax', first.message, location(file, first.line, first.column), {
        hint: 'Fix the YAML syntax.',
      }),
    };
  }
  if (valueDepth(source.value) > maxNestingDepth())
    return {
      ok: false,
      diagnostic: diagnostic('file-too-deep', `${file} ${nestingMessage()}`, location(file)),
    };
  const arrays = tooManyArraysAt(source.value);
  if (arrays !== undefined) {
    const pos = source.locate(arrays.map(String));
    return {
      ok: false,
      diagnostic: diagnostic(
        'file-too-deep',
        `${file} ${arrayNestingMessage()}`,
        location(file, pos.line, pos.column),
      ),
    };
  }
  return { ok: true, text, source };
}

/** A location inside the config file (its start when there is none or it cannot be read). */
export function configLocation(config: EventkitConfig, pointer: string): SourceLocation | undefined {
  if (!config.configFile) return undefined;
  const file = relativePath(config.root, config.configFile);
  if (!config.configFile.endsWith('.json')) return location(file);
  try {
    const pos = parseYamlSource(readFileSync(config.configFile, 'utf8')).locate(pointer);
    return location(file, pos.line, pos.column, pointer);
  } catch {
    return location(file);
  }
}

export async function readDocuments(config: EventkitConfig): Promise<DocumentSet> {
  const diagnostics: Diagnostic[] = [];
  const entries = await globInputs(config.asyncapi, { cwd: config.root, directories: true });
  const matched = entries.map((e) => e.replace(/\/$/, '')).sort();
  // A plain path (no glob characters) that matches nothing is a missing file, not an empty glob.
  config.asyncapi.forEach((pattern, index) => {
    if (fg.isDynamicPattern(pattern) || existsSync(path.resolve(config.root, pattern))) return;
    diagnostics.push(
      diagnostic(
        'file-unreadable',
        `${pattern} does not exist`,
        configLocation(config, `/asyncapi/${index}`),
        {
          hint: 'Fix the path in "asyncapi" of eventkit.config.json or add the document.',
        },
      ),
    );
  });
  const documents: SourceDocument[] = [];
  await Promise.all(
    matched.map(async (rel, i) => {
      const absolutePath = path.resolve(config.root, rel);
      if ((entries.find((e) => e.replace(/\/$/, '') === rel) ?? '').endsWith('/')) {
        diagnostics.push(
          diagnostic(
            'file-unreadable',
            `${rel} is a directory, expected an AsyncAPI document`,
            location(relativePath(config.root, absolutePath)),
            { hint: 'Rename the folder or narrow the "asyncapi" globs in eventkit.config.json.' },
          ),
        );
        return;
      }
      const problem = inputFileProblem(absolutePath);
      if (problem) {
        diagnostics.push(
          diagnostic('file-unreadable', `${rel} ${problem}`, location(rel), {
            hint: 'Narrow the "asyncapi" globs in eventkit.config.json or remove the file.',
          }),
        );
        return;
      }
      let bytes: Buffer;
      try {
        bytes = await readFile(absolutePath);
      } catch (error) {
        diagnostics.push(
          diagnostic(
            'file-unreadable',
            `cannot read ${rel}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
            location(rel),
          ),
        );
        return;
      }
      const outcome = readYamlFile(config.root, absolutePath, bytes);
      if (!outcome.ok) {
        diagnostics.push(outcome.diagnostic);
        return;
      }
      const value = outcome.source.value;
      const file = relativePath(config.root, absolutePath);
      if (typeof value !== 'object' || value === null || Array.isArray(value) || !('asyncapi' in value)) {
        diagnostics.push(
          diagnostic(
            'asyncapi-schema',
            `${file} is not an AsyncAPI document (no "asyncapi" field)`,
            location(file),
            { hint: 'Start the document with `asyncapi: 3.0.0`.' },
          ),
        );
        return;
      }
      const version = String((value as Record<string, unknown>).asyncapi);
      if (!/^3\.\d+\.\d+$/.test(version)) {
        const pos = outcome.source.locate('/asyncapi');
        diagnostics.push(
          diagnostic(
            'asyncapi-version',
            `AsyncAPI version ${version} is not supported; eventkit reads AsyncAPI 3.x documents`,
            location(file, pos.line, pos.column, '/asyncapi'),
            {
              hint: 'Set `asyncapi: 3.0.0` (convert 2.x documents with `asyncapi convert`).',
            },
          ),
        );
        return;
      }
      documents[i] = {
        file,
        absolutePath,
        text: outcome.text,
        source: outcome.source,
        raw: value as Record<string, unknown>,
      };
    }),
  );
  return {
    documents: documents.filter(Boolean).sort((a, b) => (a.file < b.file ? -1 : 1)),
    matched,
    diagnostics,
  };
}
