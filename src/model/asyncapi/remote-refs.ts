// Remote `$ref`s (http/https). eventkit works offline by default: a remote reference is reported once, naming
// the URL, and never fetched (no DNS error from a lint run). `--allow-remote` lets the parser fetch them.
import path from 'node:path';
import { diagnostic, location, relativePath } from '../diagnostics.ts';
import type { Diagnostic } from '../types.ts';
import { readYamlFile, type SourceDocument } from './documents.ts';

/** True for a parser diagnostic about a remote reference (reported once each by remoteRefDiagnostics). */
export const mentionsRemoteRef = (message: string): boolean => /https?:\/\//i.test(message);

export const isRemoteRef = (ref: string): boolean => /^https?:\/\//i.test(ref);

/**
 * Resolvers for the AsyncAPI parser that answer http(s) without a network call. They return an empty
 * document (throwing would make the parser try its own fetching resolver next); the parser's follow-up
 * diagnostics about it are dropped in favour of remoteRefDiagnostics.
 */
export function offlineResolvers(): { schema: 'http' | 'https'; order: number; read: () => string }[] {
  const read = (): string => '{}';
  return [
    { schema: 'https', order: 1, read },
    { schema: 'http', order: 1, read },
  ];
}

interface RefAt {
  readonly ref: string;
  readonly path: string[];
}

function refsOf(value: unknown, at: string[] = [], out: RefAt[] = []): RefAt[] {
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

/**
 * One `ref-remote` error per remote URL (at its first `$ref`), searching the documents and the local files
 * they reference (shared `common/` files included).
 */
export function remoteRefDiagnostics(root: string, documents: readonly SourceDocument[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const reported = new Set<string>();
  const visited = new Set<string>();
  const visit = (
    absolutePath: string,
    raw: unknown,
    locate: (p: string[]) => { line: number; column: number },
  ) => {
    if (visited.has(absolutePath)) return;
    visited.add(absolutePath);
    for (const { ref, path: at } of refsOf(raw)) {
      if (isRemoteRef(ref)) {
        const url = ref.split('#')[0] as string;
        if (reported.has(url)) continue;
        reported.add(url);
        const pos = locate(at);
        const file = relativePath(root, absolutePath);
        out.push(
          diagnostic(
            'ref-remote',
            `$ref ${ref} points at a remote URL, which was not fetched: eventkit works offline by default`,
            location(file, pos.line, pos.column, `/${at.join('/')}`),
            {
              hint: `Vendor it: download ${url} into the project (e.g. vendor/${path.posix.basename(new URL(url).pathname) || 'schema.json'}) and point the $ref at that file, or run with --allow-remote to fetch it.`,
            },
          ),
        );
        continue;
      }
      const filePart = ref.split('#')[0];
      if (!filePart) continue;
      const target = path.resolve(path.dirname(absolutePath), filePart);
      if (visited.has(target)) continue;
      const outcome = readYamlFile(root, target);
      if (outcome.ok) visit(target, outcome.source.value, (p) => outcome.source.locate(p));
    }
  };
  for (const document of documents)
    visit(document.absolutePath, document.raw, (p) => document.source.locate(p));
  return out;
}
