// How `eventkit monitor` shows what it sees: a screen redrawn in place on a terminal, one line per
// violation when piped, JSON lines with --json.
import type { MonitorStats, MonitorSummary, Violation } from '../../monitor/index.ts';
import { type Colors, formatTable } from '../output/index.ts';

const clock = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

/** `wrong-source orders.order-placed.v1.ord_1 (ORDERS #42): reason`. */
export function violationLine(v: Violation, c: Colors): string {
  const where = v.stream ? ` (${v.stream} #${v.streamSequence ?? '?'})` : '';
  return `${c.red(v.kind)} ${v.subject}${c.dim(where)}: ${v.reason}`;
}

/** The live screen: totals, rates per event type, violations by kind, the last few violations. */
export function liveScreen(
  stats: MonitorStats,
  previous: { readonly stats: MonitorStats; readonly at: number } | undefined,
  server: string,
  c: Colors,
  now = Date.now(),
): string {
  const elapsed = now - stats.startedAt;
  const interval = previous ? (now - previous.at) / 1000 : 0;
  const rows = [...stats.perType]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, t]) => {
      const before = previous?.stats.perType.get(type)?.checked ?? 0;
      const rate = interval > 0 ? (t.checked - before) / interval : 0;
      return [type, String(t.checked), rate.toFixed(0), t.violations > 0 ? c.red(String(t.violations)) : '0'];
    });
  const lines = [
    `${c.bold('eventkit monitor')} ${c.dim(`${server} · ${clock(elapsed)} · Ctrl-C to stop`)}`,
    `${stats.checked} checked · ${stats.violations > 0 ? c.red(`${stats.violations} violation(s) in ${stats.badMessages} message(s)`) : c.green('0 violations')}`,
    '',
    rows.length > 0
      ? formatTable(['event type', 'messages', 'msg/s', 'bad'], rows, c)
      : c.dim('no messages yet'),
  ];
  const missing = stats.sources.filter((s) => s.problem);
  if (missing.length > 0)
    lines.push('', ...missing.map((s) => c.yellow(`${s.kind} ${s.name}: ${s.problem}`)));
  if (stats.perKind.size > 0) {
    lines.push('', c.bold('violations by kind'));
    for (const [kind, n] of [...stats.perKind].sort(([a], [b]) => a.localeCompare(b)))
      lines.push(`  ${kind.padEnd(24)} ${n}`);
    lines.push('', c.bold('last violations'), ...stats.recent.map((v) => `  ${violationLine(v, c)}`));
  }
  return lines.join('\n');
}

/** The closing summary for people. */
export function summaryText(summary: MonitorSummary, c: Colors): string {
  const lines = [
    `${summary.checked} message(s) checked in ${(summary.durationMs / 1000).toFixed(1)} s: ${
      summary.violations > 0
        ? c.red(`${summary.violations} violation(s) in ${summary.badMessages} message(s)`)
        : c.green('0 violations')
    }`,
  ];
  const kinds = Object.entries(summary.perKind);
  if (kinds.length > 0) lines.push(...kinds.map(([kind, n]) => `  ${kind.padEnd(24)} ${n}`));
  return lines.join('\n');
}
