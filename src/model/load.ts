// loadRegistry: AsyncAPI documents + proto roots → one immutable Registry plus diagnostics. Never throws for
// user input: unreadable files, syntax errors and unknown references all come back as diagnostics.
import path from 'node:path';
import type { Diagnostic as ParserDiagnostic } from '@asyncapi/parser';
import { readDocuments, type SourceDocument } from './asyncapi/documents.ts';
import { createAsyncApiParser, parserMessage, type RefusedFile } from './asyncapi/parser.ts';
import { findRefCycles } from './asyncapi/ref-cycles.ts';
import { RawDocuments } from './asyncapi/refs.ts';
import { mentionsRemoteRef, remoteRefDiagnostics } from './asyncapi/remote-refs.ts';
import { decodedCopy, decodeReservedKeys, encodeReservedKeys } from './asyncapi/reserved-keys.ts';
import { createProtobufSchemaParser } from './asyncapi/schema-parser.ts';
import { buildRegistry, type ParsedDocument } from './build/registry.ts';
import { loadConfig } from './config.ts';
import { dedupeDiagnostics, diagnostic, location, relativePath, sortDiagnostics } from './diagnostics.ts';
import { RegistryError } from './errors.ts';
import { deepFreeze } from './freeze.ts';
import { createInlineProtoParser } from './proto/inline.ts';
import { loadProtoLibrary } from './proto/library.ts';
import { remoteRefsAllowed } from './remote-default.ts';
import type { Diagnostic, EventkitConfig, LoadResult, Registry, Severity } from './types.ts';

export interface LoadOptions {
  /** Progress lines for slow steps (the CLI prints them to stderr). */
  readonly onProgress?: (message: string) => void;
  /** Fetch remote (http/https) `$ref`s. Default: `remoteRefsAllowed()` (off unless the CLI's --allow-remote). */
  readonly allowRemote?: boolean;
}

const parserSeverity: Record<number, Severity | undefined> = { 0: 'error', 1: 'warning' };

/** Every `$ref` string of a raw document with its path. */
function refsOf(
  value: unknown,
  at: string[] = [],
  out: { ref: string; path: string[] }[] = [],
): { ref: string; path: string[] }[] {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) refsOf(v, [...at, String(i)], out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push({ ref: v, path: [...at, k] });
      else refsOf(v, [...at, k], out);
    }
  }
  return out;
}

function fromParserDiagnostic(
  root: string,
  document: SourceDocument,
  documents: ReadonlyMap<string, SourceDocument>,
  d: ParserDiagnostic,
): Diagnostic | undefined {
  const severity = parserSeverity[d.severity];
  if (!severity) return undefined;
  const sourceDocument = d.source ? documents.get(d.source) : document;
  const file = d.source ? relativePath(root, d.source) : document.file;
  const ruleId = d.code === 'invalid-ref' ? 'ref-unresolved' : 'asyncapi-schema';
  const pointer = `/${d.path.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
  const rootPrefix = `${root}${path.sep}`;
  let message = parserMessage(d.message)
    .replace(
      /^ENOENT: no such file or directory, open '([^']+)'$/,
      (_m, p: string) => `referenced file ${relativePath(root, p)} does not exist`,
    )
    .split(rootPrefix)
    .join('');
  let line = d.range.start.line + 1;
  let column = d.range.start.character + 1;
  let at = pointer;
  // Unresolvable pointers come back at 0:0; find the $ref that names them.
  if (
    ruleId === 'ref-unresolved' &&
    d.range.start.line === 0 &&
    d.range.start.character === 0 &&
    sourceDocument
  ) {
    const fragment = /'(#[^']*)' does not exist/.exec(d.message)?.[1];
    const hit = fragment ? refsOf(sourceDocument.raw).find((r) => r.ref.endsWith(fragment)) : undefined;
    if (hit) {
      const pos = sourceDocument.source.locate(hit.path);
      line = pos.line;
      column = pos.column;
      at = `/${hit.path.join('/')}`;
      message = `$ref ${hit.ref} points at nothing: ${message}`;
    }
  }
  if (ruleId === 'asyncapi-schema' && d.path.length > 0 && !message.includes(pointer))
    message = `${message} (at ${pointer})`;
  return diagnostic(ruleId, message, location(file, line, column, at), {
    severity,
    ...(ruleId === 'ref-unresolved' ? { hint: 'Point the $ref at an existing file and JSON pointer.' } : {}),
  });
}

export async function loadRegistry(config: EventkitConfig, options: LoadOptions = {}): Promise<LoadResult> {
  const progress = options.onProgress ?? (() => {});
  const diagnostics: Diagnostic[] = [];
  progress('reading documents and proto files');
  const [documentSet, library] = await Promise.all([readDocuments(config), loadProtoLibrary(config)]);
  diagnostics.push(...documentSet.diagnostics, ...library.diagnostics);
  if (
    documentSet.matched.length === 0 &&
    !documentSet.diagnostics.some((d) => d.ruleId === 'file-unreadable')
  ) {
    diagnostics.push(
      diagnostic(
        'file-unreadable',
        `no AsyncAPI documents match ${config.asyncapi.map((g) => `"${g}"`).join(', ')} in the project folder`,
        config.configFile ? location(relativePath(config.root, config.configFile)) : undefined,
        {
          hint: 'Add documents or set "asyncapi" in eventkit.config.json.',
        },
      ),
    );
  }
  const inlineProto = createInlineProtoParser(library);
  const allowRemote = options.allowRemote ?? remoteRefsAllowed();
  const refusedByParser = new Map<string, RefusedFile>();
  const parser = createAsyncApiParser([createProtobufSchemaParser(library)], {
    offline: !allowRemote,
    refused: refusedByParser,
  });
  if (!allowRemote) diagnostics.push(...remoteRefDiagnostics(config.root, documentSet.documents));
  // The parser never returns on a $ref cycle: documents that reach one are reported, not parsed.
  const refCycles = findRefCycles(config.root, documentSet.documents);
  diagnostics.push(...refCycles.diagnostics);
  const byPath = new Map(documentSet.documents.map((d) => [d.absolutePath, d]));
  const unreadable = new Set(
    documentSet.diagnostics.map((d) => path.resolve(config.root, d.location?.file ?? '')),
  );
  // A document that refers into a document eventkit refused to read (too big, too deep, not YAML) is not
  // handed to the parser either: its resolver would read the refused file itself (and hang or overflow).
  // The refused file is reported once; the referrer is checked when it is fixed.
  const refused = new Set([...unreadable].filter((file) => !byPath.has(file)));
  const reachesRefused = (document: SourceDocument): boolean =>
    refsOf(document.raw).some(({ ref }) => {
      const file = ref.split('#')[0] ?? '';
      return (
        file !== '' &&
        !/^[a-z]+:/i.test(file) &&
        refused.has(path.resolve(path.dirname(document.absolutePath), file))
      );
    });
  const parseable = documentSet.documents.filter(
    (d) => !refCycles.cyclic.has(d.absolutePath) && !reachesRefused(d),
  );
  progress(`parsing ${parseable.length} AsyncAPI documents`);
  const parsed: ParsedDocument[] = [];
  await Promise.all(
    parseable.map(async (document) => {
      try {
        const output = await parser.parse(encodeReservedKeys(document.text), {
          source: document.absolutePath,
        });
        for (const parserDiagnostic of output.diagnostics) {
          const d = {
            ...parserDiagnostic,
            message: decodeReservedKeys(parserDiagnostic.message),
            path: parserDiagnostic.path.map((s) => (typeof s === 'string' ? decodeReservedKeys(s) : s)),
          };
          // A referenced file that eventkit could not read is reported once, by eventkit, not by every referrer.
          if (d.source && d.source !== document.absolutePath && unreadable.has(d.source)) continue;
          // Remote refs are reported once each by remoteRefDiagnostics, with how to vendor them.
          if (!allowRemote && mentionsRemoteRef(d.message)) continue;
          const converted = fromParserDiagnostic(config.root, document, byPath, d);
          if (converted) diagnostics.push(converted);
        }
        if (output.document) parsed.push({ document, resolved: decodedCopy(output.document.json()) });
      } catch (error) {
        diagnostics.push(
          diagnostic(
            'asyncapi-schema',
            `the AsyncAPI parser failed on ${document.file}: ${error instanceof Error ? error.message : String(error)}`,
            location(document.file),
          ),
        );
      }
    }),
  );
  for (const [file, refusal] of refusedByParser) {
    const rel = relativePath(config.root, file);
    diagnostics.push(
      diagnostic(refusal.ruleId, `${rel} ${refusal.message}`, location(rel, refusal.line, refusal.column)),
    );
  }
  parsed.sort((a, b) => (a.document.file < b.document.file ? -1 : 1));
  progress('building the registry');
  const refs = new RawDocuments(config.root, documentSet.documents);
  const built = buildRegistry({ config, documents: parsed, library, inlineProto, refs });
  diagnostics.push(...built.diagnostics);
  return deepFreeze({
    registry: built.registry,
    diagnostics: sortDiagnostics(dedupeDiagnostics(diagnostics)),
  });
}

/** Config + registry in one step: what most commands need. Config problems come first in `diagnostics`. */
export async function loadProject(
  cwd: string,
  options: LoadOptions = {},
): Promise<LoadResult & { readonly configInvalid: boolean }> {
  const { config, diagnostics: configDiagnostics } = await loadConfig(path.resolve(cwd));
  if (configDiagnostics.length > 0) {
    return deepFreeze({
      registry: { config, services: [], events: [], operations: [], streams: [], protoFiles: [] },
      diagnostics: sortDiagnostics(configDiagnostics),
      configInvalid: true,
    });
  }
  const result = await loadRegistry(config, options);
  return { ...result, configInvalid: false };
}

/** The registry of a load without errors; otherwise a RegistryError carrying the error diagnostics. */
export function registryOrThrow(result: LoadResult): Registry {
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const first = errors[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}: ` : '';
    throw new RegistryError(
      `${errors.length} error(s) in the specs, first: ${where}${first?.message} (run eventkit lint)`,
      errors,
    );
  }
  return result.registry;
}
