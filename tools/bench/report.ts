// What every benchmark shares: its flags (`--name value`, `--json`), the median of its runs, and the
// one table layout `npm run bench` prints — ours, the peer's figure, the ratio and the goal on
// every row, then a footer with the machine's load (absolute figures are noise on a shared machine).
import os from 'node:os';

/** `--name N` from the command line, else `fallback`; exits with a clear message on a non-number. */
export function numberFlag(name: string, fallback: number, argv: readonly string[] = process.argv): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isFinite(value)) {
    process.stderr.write(`--${name} needs a number, got ${JSON.stringify(argv[i + 1] ?? '')}\n`);
    process.exit(2);
  }
  return value;
}

/** `--name value` from the command line, else `fallback`. */
export function stringFlag(name: string, fallback: string, argv: readonly string[] = process.argv): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
}

/** `--name` is present. */
export function booleanFlag(name: string, argv: readonly string[] = process.argv): boolean {
  return argv.includes(`--${name}`);
}

/** Median of the samples (the upper one of an even count); NaN for none. */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
}

/** The load average and cpu count, for JSON output. */
export function machine(): { loadAverage: number[]; cpus: number } {
  return { loadAverage: os.loadavg().map((v) => Number(v.toFixed(1))), cpus: os.cpus().length };
}

/** `load average 3.2 on 2 cpus`: printed under every table. */
export function loadText(): string {
  return `load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cpus`;
}

/** One comparison: ours against the peer's figure, and whether the goal is met. */
export interface GoalRow {
  readonly scenario: string;
  readonly ours: string;
  readonly peer: string;
  /** `ours / peer` (or `peer / ours` for times), as printed. */
  readonly ratio: number;
  /** As printed, e.g. `≥ 0.95` or `≤ 3000 ms`; empty when the row has no goal of its own. */
  readonly goal: string;
  /** undefined: no goal on this row. */
  readonly pass?: boolean;
  /** Further columns (CPU, samples), in the order of `extraHeaders`. */
  readonly extra?: readonly string[];
}

/** Columns padded to their widest cell, two spaces apart. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      Array.from({ length: columns }, (_, i) => (r[i] ?? '').padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The table of goal rows: scenario, ours, peer, ratio, goal, verdict, then the extra columns. */
export function goalTable(
  headers: { readonly ours: string; readonly peer: string; readonly extra?: readonly string[] },
  rows: readonly GoalRow[],
): string {
  return formatTable([
    ['scenario', headers.ours, headers.peer, 'ratio', 'goal', '', ...(headers.extra ?? [])],
    ...rows.map((r) => [
      r.scenario,
      r.ours,
      r.peer,
      r.ratio.toFixed(2),
      r.goal,
      r.pass === undefined ? '' : r.pass ? 'ok' : 'BELOW GOAL',
      ...(r.extra ?? []),
    ]),
  ]);
}

/** Print the table (or the JSON document) and a footer; set the exit code from the rows' goals. */
export function report(
  options: {
    readonly benchmark: string;
    readonly json: boolean;
    readonly headers: { readonly ours: string; readonly peer: string; readonly extra?: readonly string[] };
    readonly footer: string;
    /** Extra fields of the JSON document (settings, samples). */
    readonly details?: Readonly<Record<string, unknown>>;
  },
  rows: readonly GoalRow[],
): void {
  if (options.json)
    console.log(
      JSON.stringify({ benchmark: options.benchmark, ...options.details, rows, ...machine() }, null, 2),
    );
  else console.log(`${goalTable(options.headers, rows)}\n\n${options.footer}; ${loadText()}`);
  process.exitCode = rows.every((r) => r.pass !== false) ? 0 : 1;
}
