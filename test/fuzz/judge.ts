// What makes a fuzz case pass: an allowed exit code, no stack trace, `file:line` where the input has lines,
// nothing written outside the expected outputs, and an answer within the time limit.
import type { FuzzCase } from './cases.ts';

/** Exit codes a broken input may end with: 0 (the mutation stayed valid), findings, bad input, usage, unavailable. */
export const allowedCodes = [0, 1, 2, 64, 69] as const;

export interface CaseResult {
  readonly index: number;
  readonly name: string;
  /** The exit code; -1 when the case hung and the runner was killed. */
  readonly code: number;
  readonly output: string;
  /** Paths (relative to the project's parent folder) added, changed or removed outside the expected outputs. */
  readonly outsideWrites: readonly string[];
  readonly hung: boolean;
  readonly ms: number;
}

/** A stack frame (`    at fn (file:1:2)`) or an error class leaking from inside a library. */
const tracePattern =
  /^\s+at .+[:(]|^\s*(?:Type|Range|Reference|Syntax)?Error: |\bat (?:async )?\S+ \(\S+:\d+:\d+\)/m;
/** `some/file.ext:12` (a location a person can open). */
const fileLinePattern = /[\w./-]+\.(?:ya?ml|json|proto|ts):\d+|"file": "[^"]+",\s*"line": \d+/;
/**
 * Findings about the project, not a line of the input: `codegen --check` finding generated code stale, and
 * `verify` of a pact that reads well finding no provider module (the base project has none).
 */
const aboutTheProject = /contracts\/no-provider/;
/** `codegen --check` finding generated code stale. */
const staleGenerated = /codegen --check: \d+ stale file/;

export interface Verdict {
  readonly trace: boolean;
  readonly missingLocation: boolean;
  readonly badCode: boolean;
}

export function judge(fuzzCase: FuzzCase, result: CaseResult): Verdict {
  const finding = result.code === 1 || result.code === 2;
  return {
    trace: tracePattern.test(result.output),
    missingLocation:
      fuzzCase.hasLines &&
      finding &&
      !fileLinePattern.test(result.output) &&
      !(result.code === 1 && staleGenerated.test(result.output)) &&
      !(result.code === 2 && aboutTheProject.test(result.output)),
    badCode: !result.hung && !(allowedCodes as readonly number[]).includes(result.code),
  };
}

/** `N cases: by exit code 0:a 1:b 2:c 64:d 69:e, 0 traces, 0 hangs, 0 outside writes` */
export function summaryLine(results: readonly CaseResult[], verdicts: readonly Verdict[]): string {
  const byCode = new Map<number, number>(allowedCodes.map((code) => [code, 0]));
  for (const r of results) if (!r.hung) byCode.set(r.code, (byCode.get(r.code) ?? 0) + 1);
  const codes = [...byCode].map(([code, count]) => `${code}:${count}`).join(' ');
  const traces = verdicts.filter((v) => v.trace).length;
  const hangs = results.filter((r) => r.hung).length;
  const outside = results.filter((r) => r.outsideWrites.length > 0).length;
  return `${results.length} cases: by exit code ${codes}, ${traces} traces, ${hangs} hangs, ${outside} outside writes`;
}
