// Every case under test/fixtures/bad is a tiny project with one mistake. The real CLI must exit non-zero,
// never print a stack trace, and report the expected rule at the expected file and line.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/model/types.ts';
import { type CliRun, pool, repoRoot, runCli } from './run-cli.ts';

interface Expected {
  readonly ruleId: string;
  readonly file: string;
  readonly line: number;
  readonly description: string;
  /** The case is about buf lint, so buf runs. */
  readonly buf?: boolean;
}

const corpus = path.join(repoRoot, 'test/fixtures/bad');
const cases = readdirSync(corpus, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => ({
    name: d.name,
    dir: path.join(corpus, d.name),
    expected: JSON.parse(readFileSync(path.join(corpus, d.name, 'expected.json'), 'utf8')) as Expected,
  }));

const runs = new Map<string, CliRun>();

beforeAll(async () => {
  await pool(cases, 3, async (c) => {
    runs.set(c.name, await runCli(['-C', c.dir, 'lint', '--json', ...(c.expected.buf ? [] : ['--no-buf'])]));
  });
}, 600_000);

describe('bad-input corpus', () => {
  it('has at least 28 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(28);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const run = runs.get(c.name) as CliRun;
    expect(run.code, run.stderr).not.toBe(0);
    expect(run.code, 'exit 1 (findings) or 2 (unreadable input)').toBeLessThanOrEqual(2);
    expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/^\s{4}at /m);
    const output = JSON.parse(run.stdout) as { diagnostics: Diagnostic[]; summary: { errors: number } };
    expect(output.summary.errors).toBeGreaterThan(0);
    const found = output.diagnostics.filter((d) => d.ruleId === c.expected.ruleId);
    const where = found.map((d) => `${d.location?.file}:${d.location?.line}`);
    expect(
      where,
      `${c.expected.description}; all: ${output.diagnostics.map((d) => `${d.ruleId}@${d.location?.file}:${d.location?.line}`).join(', ')}`,
    ).toContain(`${c.expected.file}:${c.expected.line}`);
    for (const d of output.diagnostics) {
      expect(d.message.length).toBeGreaterThan(0);
      expect(d.message).not.toContain(repoRoot);
    }
  });
});
