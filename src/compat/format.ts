// Human output of `eventkit breaking`: one table per event (class, change, location, consumers, deploy order),
// the message and fix under each row. Colour only when asked (the CLI decides).
import { consumerNames } from './consumers.ts';
import type { Change, CompatReport, DeployOrder } from './types.ts';

export interface FormatOptions {
  readonly color?: {
    readonly red: (s: string) => string;
    readonly yellow: (s: string) => string;
    readonly green: (s: string) => string;
    readonly dim: (s: string) => string;
    readonly bold: (s: string) => string;
  };
  /** Show non-breaking changes too (default true). */
  readonly showNonBreaking?: boolean;
}

const deployLabels: Record<DeployOrder, string> = {
  any: 'any order',
  'consumers-first': 'consumers first',
  'producers-first': 'producers first',
  'new-major': 'new major',
};

function location(c: Change): string {
  if (c.location === undefined) return '-';
  return `${c.location.file}:${c.location.line}:${c.location.column}`;
}

function classLabel(c: Change): string {
  if (c.class === 'non-breaking') return 'ok';
  return c.severity === 'error' ? 'BREAKING' : 'breaking (warn)';
}

export function formatReport(report: CompatReport, options: FormatOptions = {}): string {
  const id = (s: string) => s;
  const color = options.color ?? { red: id, yellow: id, green: id, dim: id, bold: id };
  const showNonBreaking = options.showNonBreaking ?? true;
  const lines: string[] = [];
  lines.push(
    `eventkit breaking: ${report.head} against ${report.base}${report.history.length > 0 ? ` (history: ${report.history.join(', ')})` : ''}`,
  );

  const groups = new Map<string, Change[]>();
  for (const c of report.changes) {
    if (!showNonBreaking && c.class === 'non-breaking') continue;
    const key =
      c.event ?? (c.stream !== undefined ? `stream ${c.stream}` : 'proto types outside published events');
    const list = groups.get(key) ?? [];
    list.push(c);
    groups.set(key, list);
  }

  for (const [group, changes] of groups) {
    lines.push('', color.bold(group));
    const rows = changes.map((c) => [
      classLabel(c),
      c.ruleId,
      location(c),
      consumerNames(c.affectedConsumers).join(', ') || (c.class === 'breaking' ? '-' : ''),
      deployLabels[c.deployOrder],
    ]);
    const header = ['class', 'change', 'location', 'affected consumers', 'deploy'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const render = (cells: readonly string[]) =>
      `  ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd();
    lines.push(color.dim(render(header)));
    for (const [index, c] of changes.entries()) {
      const row = render(rows[index] ?? []);
      lines.push(
        c.severity === 'error' ? color.red(row) : c.severity === 'warning' ? color.yellow(row) : row,
      );
      lines.push(`      ${c.message}`);
      const pacts = c.affectedConsumers.filter((a) => a.via === 'pact');
      if (pacts.length > 0)
        lines.push(
          `      pact interactions: ${pacts.map((p) => `${p.name} "${p.detail ?? ''}"`).join('; ')}`,
        );
      if (c.fix !== undefined && c.class === 'breaking') lines.push(`      fix: ${c.fix}`);
    }
  }

  const s = report.summary;
  lines.push('');
  const verdict = report.compatible ? color.green('compatible') : color.red('NOT compatible');
  lines.push(
    `${verdict}: ${s.breaking} breaking (${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}), ${s.nonBreaking} non-breaking, ${s.events} event${s.events === 1 ? '' : 's'} changed`,
  );
  return `${lines.join('\n')}\n`;
}
