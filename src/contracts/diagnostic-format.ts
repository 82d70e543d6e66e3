// `file:line:col severity message rule` lines for the contracts commands (same shape as lint's).
import pc from 'picocolors';
import type { Diagnostic } from '../model/types.ts';

export function formatDiagnostic(diagnostic: Diagnostic, color = false): string {
  const c = color ? pc : pc.createColors(false);
  const where = diagnostic.location
    ? `${diagnostic.location.file}:${diagnostic.location.line}:${diagnostic.location.column} `
    : '';
  const severity = diagnostic.severity === 'error' ? c.red('error') : c.yellow(diagnostic.severity);
  const hint = diagnostic.hint ? `\n    ${c.dim(`hint: ${diagnostic.hint}`)}` : '';
  return `${where}${severity} ${diagnostic.message} ${c.dim(diagnostic.ruleId)}${hint}`;
}
