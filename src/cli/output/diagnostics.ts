// Human-readable diagnostics: grouped by file, `file:line:col severity message  rule-id`, plus a summary line.
import type { Diagnostic, Severity } from '../../model/types.ts';
import type { Colors } from './colors.ts';

export interface DiagnosticCounts {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  /** Files with at least one diagnostic. */
  readonly files: number;
}

export function countDiagnostics(diagnostics: readonly Diagnostic[]): DiagnosticCounts {
  return {
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
    infos: diagnostics.filter((d) => d.severity === 'info').length,
    files: new Set(diagnostics.map((d) => d.location?.file ?? '')).size,
  };
}

function severityLabel(severity: Severity, c: Colors): string {
  const padded = severity.padEnd(7);
  return severity === 'error' ? c.red(padded) : severity === 'warning' ? c.yellow(padded) : c.blue(padded);
}

/** One diagnostic on one line (plus an indented hint line). */
export function formatDiagnostic(d: Diagnostic, c: Colors, options: { hints?: boolean } = {}): string {
  const where = d.location ? `${d.location.file}:${d.location.line}:${d.location.column}` : '(project)';
  const hint = options.hints !== false && d.hint ? `\n    ${c.dim(d.hint)}` : '';
  return `${c.bold(where)} ${severityLabel(d.severity, c)} ${d.message}  ${c.dim(d.ruleId)}${hint}`;
}

/** Diagnostics grouped under a header per file (in the order given; lint sorts by file and line). */
export function formatDiagnosticsByFile(
  diagnostics: readonly Diagnostic[],
  c: Colors,
  options: { hints?: boolean } = {},
): string {
  const groups = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const file = d.location?.file ?? '(project)';
    groups.set(file, [...(groups.get(file) ?? []), d]);
  }
  const blocks: string[] = [];
  for (const [file, list] of groups) {
    blocks.push([c.underline(file), ...list.map((d) => `  ${formatDiagnostic(d, c, options)}`)].join('\n'));
  }
  return blocks.join('\n\n');
}

export function formatSummaryLine(counts: DiagnosticCounts, c: Colors, subject = 'problem'): string {
  const total = counts.errors + counts.warnings + counts.infos;
  if (total === 0) return c.green(`✔ no ${subject}s`);
  const parts = [
    counts.errors > 0 ? c.red(`${counts.errors} error${counts.errors === 1 ? '' : 's'}`) : undefined,
    counts.warnings > 0
      ? c.yellow(`${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}`)
      : undefined,
    counts.infos > 0 ? `${counts.infos} info` : undefined,
  ].filter(Boolean);
  const mark = counts.errors > 0 ? c.red('✖') : c.yellow('⚠');
  return `${mark} ${total} ${subject}${total === 1 ? '' : 's'} (${parts.join(', ')}) in ${counts.files} file${counts.files === 1 ? '' : 's'}`;
}
