// The fuzz suite of issue #13: broken inputs of every format (AsyncAPI YAML and JSON, proto, pacts V3/V4,
// the config, command lines), generated from valid ones by a seeded mutator, plus the issue's named examples.
// Every case must exit 0 (the mutation stayed valid), 1, 2, 64 or 69 — with `file:line` where the input
// has lines, no stack trace, no file written outside the expected outputs, and an answer within the limit.
// EVENTKIT_FUZZ_SEED replays another seed; EVENTKIT_FUZZ_ONLY=<part of a case name> replays cases.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type FuzzCase, fuzzCases } from './cases.ts';
import { drive } from './drive.ts';
import { type CaseResult, judge, summaryLine, type Verdict } from './judge.ts';

const seed = Number(process.env.EVENTKIT_FUZZ_SEED ?? '13');
const scale = Number(process.env.EVENTKIT_FUZZ_SCALE ?? '1');
const only = process.env.EVENTKIT_FUZZ_ONLY;

function describeFailure(result: CaseResult, verdict: Verdict): string {
  const problems = [
    result.hung ? 'hang' : '',
    verdict.badCode ? `exit ${result.code}` : '',
    verdict.trace ? 'stack trace' : '',
    verdict.missingLocation ? 'no file:line' : '',
    result.outsideWrites.length > 0 ? `wrote ${result.outsideWrites.join(', ')}` : '',
  ].filter(Boolean);
  return `#${result.index} ${result.name}: ${problems.join('; ')}\n    ${result.output.slice(0, 600).replaceAll('\n', '\n    ')}`;
}

describe('fuzz: broken and hostile input', () => {
  it('every case ends with an allowed exit code, no trace, no hang, no outside write', {
    timeout: 900_000,
    retry: 0,
  }, async () => {
    const { names, results, fatal } = await drive({
      seed,
      caseTimeoutMs: 30_000,
      scale,
      ...(only ? { only } : {}),
    });
    expect(fatal, `the fuzz runner could not start: ${fatal}`).toBeUndefined();
    if (process.env.EVENTKIT_FUZZ_REPORT)
      writeFileSync(process.env.EVENTKIT_FUZZ_REPORT, JSON.stringify(results, null, 1));
    const cases = fuzzCases(seed);
    const byName = new Map<string, FuzzCase>(cases.map((c) => [c.name, c]));
    const verdicts = results.map((result) => {
      const fuzzCase = byName.get(result.name) ?? ({ hasLines: false } as FuzzCase);
      return judge(fuzzCase, result);
    });
    const line = summaryLine(results, verdicts);
    const stayedValid = results.filter((r) => r.code === 0).length;
    const slowest = [...results].sort((a, b) => b.ms - a.ms).slice(0, 3);
    process.stdout.write(
      `fuzz (seed ${seed}): ${line}\n` +
        `  ${stayedValid} mutations stayed valid (exit 0); slowest: ${slowest.map((r) => `${r.ms} ms ${r.name.slice(0, 60)}`).join(' | ')}\n`,
    );
    const failures = results.flatMap((result, i) => {
      const verdict = verdicts[i] as Verdict;
      const bad =
        result.hung ||
        verdict.badCode ||
        verdict.trace ||
        verdict.missingLocation ||
        result.outsideWrites.length > 0;
      return bad ? [describeFailure(result, verdict)] : [];
    });
    expect(failures, failures.join('\n')).toEqual([]);
    if (only === undefined) {
      expect(results.length).toBe(names.length);
      expect(results.length).toBeGreaterThanOrEqual(500 * Math.min(scale, 1));
    }
    expect(line).toMatch(/, 0 traces, 0 hangs, 0 outside writes$/);
  });
});
