// Small helpers to create, relocate, de-duplicate and sort diagnostics.
import path from 'node:path';
import type { Diagnostic, Severity, SourceLocation } from './types.ts';

export function diagnostic(
  ruleId: string,
  message: string,
  location?: SourceLocation,
  options: { severity?: Severity; hint?: string } = {},
): Diagnostic {
  return {
    ruleId,
    severity: options.severity ?? 'error',
    message,
    ...(location ? { location } : {}),
    ...(options.hint ? { hint: options.hint } : {}),
  };
}

/** Path of `absolute` relative to `root`, with posix separators (what every SourceLocation holds). */
export function relativePath(root: string, absolute: string): string {
  const rel = path.relative(root, absolute);
  return rel.split(path.sep).join('/') || '.';
}

export function location(file: string, line = 1, column = 1, pointer?: string): SourceLocation {
  return { file, line, column, ...(pointer !== undefined ? { pointer } : {}) };
}

function compareLocations(a?: SourceLocation, b?: SourceLocation): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;
}

/** Sorted by file, line, column, then rule id and message (diagnostics without location first). */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compareLocations(a.location, b.location) ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

/** Drops exact repeats (the same problem reached through two documents). */
export function dedupeDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.ruleId}\u0000${d.message}\u0000${d.location?.file}:${d.location?.line}:${d.location?.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Turns `position N` of a parser message into line and column of `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
