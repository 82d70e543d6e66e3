// `eventkit verify` in parallel workers: the real pacts of two providers, one of them deliberately broken,
// verified by two worker processes and by one. Both must report the same interactions (the broken field
// included) in pact-file order and record both pacts in the results matrix.
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IsolatedVerifyOutcome, runVerificationIsolated } from '../../src/contracts/verify-isolated.ts';
import { planWorkers } from '../../src/contracts/verify-plan.ts';
import type { VerifyRunResult } from '../../src/contracts/verify-run.ts';
import { repoRoot } from './support/consumer-pacts.ts';

let project: string;

beforeAll(async () => {
  project = await mkdtemp(path.join(tmpdir(), 'eventkit-parallel-verify-'));
  await cp(path.join(repoRoot, 'eventkit.config.json'), path.join(project, 'eventkit.config.json'));
  await symlink(path.join(repoRoot, 'asyncapi'), path.join(project, 'asyncapi'));
  await mkdir(path.join(project, 'contracts/pacts'), { recursive: true });
  await symlink(path.join(repoRoot, 'contracts/proto'), path.join(project, 'contracts/proto'));
  for (const pact of ['payments-orders.json', 'orders-stores.json', 'inventory-stores.json']) {
    await cp(path.join(repoRoot, 'contracts/pacts', pact), path.join(project, 'contracts/pacts', pact));
  }
  // orders is the broken producer (drops OrderPlaced.total), stores the real one.
  // An ES module project, as an adopter's is: the provider modules below re-export with `export … from`.
  await writeFile(path.join(project, 'package.json'), '{ "type": "module" }\n');
  await mkdir(path.join(project, 'providers'));
  const module = (file: string) => JSON.stringify(path.join(repoRoot, 'test/contracts', file));
  await writeFile(
    path.join(project, 'providers/orders.provider.ts'),
    `export { createBrokenOrdersContract as createProviderContract } from ${module('fixtures/broken-orders.provider.ts')};\n`,
  );
  await writeFile(
    path.join(project, 'providers/stores.provider.ts'),
    `export { createProviderContract } from ${module('providers/stores.provider.ts')};\n`,
  );
}, 60_000);
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function verify(workers: number): Promise<{ result: VerifyRunResult; results: string }> {
  const results = `results-${workers}.json`;
  const outcome: IsolatedVerifyOutcome = await runVerificationIsolated({
    root: project,
    version: 'v1',
    providerGlobs: ['providers/*.provider.ts'],
    record: true,
    results,
    workers,
  });
  if (outcome.kind !== 'result') throw new Error(`no result: ${JSON.stringify(outcome)}`);
  return { result: outcome.result, results: await readFile(path.join(project, results), 'utf8') };
}

const summary = (result: VerifyRunResult) =>
  result.verifications.flatMap((v) =>
    v.interactions.map((i) => ({ file: i.file, description: i.description, failures: i.failures })),
  );

describe('verification in parallel workers', () => {
  it('reports and records the same as one worker, a broken provider included', async () => {
    const [parallel, serial] = [await verify(2), await verify(1)];
    expect(parallel.result.status).toBe('failed');
    expect(parallel.result.interactions).toEqual({ total: 6, failed: 1 });
    expect(parallel.result.verifications.map((v) => v.file)).toEqual([
      'contracts/pacts/inventory-stores.json',
      'contracts/pacts/orders-stores.json',
      'contracts/pacts/payments-orders.json',
    ]);
    const placed = summary(parallel.result).find((i) => i.description === 'an order was placed');
    expect(placed?.failures).toEqual([
      { field: '$.total', message: 'the provider no longer sends $.total, which the consumer relies on' },
    ]);
    expect(summary(parallel.result)).toEqual(summary(serial.result));
    expect(parallel.results).toBe(serial.results);
    const matrix = JSON.parse(parallel.results) as {
      verifications: { provider: string; success: boolean }[];
    };
    // The matrix sorts its rows (consumer, then provider): payments ← orders first.
    expect(matrix.verifications.map((v) => [v.provider, v.success])).toEqual([
      ['orders', false],
      ['stores', true],
      ['stores', true],
    ]);
  }, 600_000);
});

describe('planWorkers', () => {
  it('keeps each provider in one worker and balances interactions', () => {
    const plan = planWorkers(
      [
        { provider: 'orders', interactions: 40 },
        { provider: 'stores', interactions: 25 },
        { provider: 'payments', interactions: 14 },
        { provider: 'inventory', interactions: 14 },
        { provider: 'notifications', interactions: 7 },
      ],
      2,
    );
    expect(plan).toEqual([
      ['orders', 'payments'],
      ['inventory', 'notifications', 'stores'],
    ]);
  });

  it('never plans more workers than providers, nor fewer than one', () => {
    expect(planWorkers([{ provider: 'orders', interactions: 3 }], 4)).toEqual([['orders']]);
    expect(
      planWorkers(
        [
          { provider: 'a', interactions: 1 },
          { provider: 'b', interactions: 1 },
        ],
        0,
      ),
    ).toEqual([['a', 'b']]);
  });
});
