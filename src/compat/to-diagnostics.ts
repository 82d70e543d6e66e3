// The report as ordinary Diagnostics (`file:line:col`, rule id, severity, hint), for callers that collect
// problems from several checks (CI annotations, editors).
import type { Diagnostic } from '../model/types.ts';
import { consumerNames } from './consumers.ts';
import type { CompatReport } from './types.ts';

export function reportToDiagnostics(report: CompatReport): Diagnostic[] {
  return report.changes.map((c) => {
    const consumers = consumerNames(c.affectedConsumers);
    const subject = c.event ?? (c.stream !== undefined ? `stream ${c.stream}` : undefined);
    const message =
      `${subject === undefined ? '' : `${subject}: `}${c.message}` +
      (consumers.length > 0 ? ` (consumers: ${consumers.join(', ')})` : '');
    return {
      ruleId: c.ruleId,
      severity: c.severity,
      message,
      ...(c.location !== undefined ? { location: c.location } : {}),
      ...(c.fix !== undefined ? { hint: c.fix } : {}),
    };
  });
}
