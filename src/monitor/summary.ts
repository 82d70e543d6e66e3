// The monitor's figures as plain JSON (what `--json` prints last, and what tests read).
import type { MonitorStats } from './monitor.ts';

export interface MonitorSummary {
  readonly durationMs: number;
  readonly checked: number;
  readonly badMessages: number;
  readonly violations: number;
  readonly perKind: Readonly<Record<string, number>>;
  readonly perType: Readonly<Record<string, { readonly checked: number; readonly violations: number }>>;
  readonly sources: MonitorStats['sources'];
}

export function summarize(stats: MonitorStats, now = Date.now()): MonitorSummary {
  const byName = <V>(m: ReadonlyMap<string, V>) =>
    Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b))) as Record<string, V>;
  return {
    durationMs: now - stats.startedAt,
    checked: stats.checked,
    badMessages: stats.badMessages,
    violations: stats.violations,
    perKind: byName(stats.perKind),
    perType: byName(stats.perType),
    sources: stats.sources,
  };
}
