// `npm run contracts`: the whole contract pipeline CI runs.
//   1. consumer contract tests (write contracts/pacts/ from scratch)
//   2. provider verification (real producer commands), recorded in contracts/verification-results.json
//   3. cross-check of the pacts against the AsyncAPI documents, and coverage
//   4. can-i-deploy for every service at this version
// Prints a summary with timings; exits non-zero when any step fails.
// Usage: npm run contracts [-- --version <v>] [-- --verbose]
import { spawn } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pc from 'picocolors';
import { formatDiagnostic } from '../src/contracts/diagnostic-format.ts';
import {
  canIDeploy,
  crossCheck,
  formatVerification,
  readPactDir,
  readResults,
} from '../src/contracts/index.ts';
import { loadContractsProject } from '../src/contracts/project.ts';
import { runVerificationIsolated } from '../src/contracts/verify-isolated.ts';
import { gitVersion } from '../src/contracts/version.ts';
import { providerGlobsOf } from '../src/model/config.ts';

interface Step {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly detail: string;
}

const { values: args } = parseArgs({
  options: { version: { type: 'string' }, verbose: { type: 'boolean', default: false } },
});
const started = performance.now();
const steps: Step[] = [];
const log = (message: string) => process.stderr.write(`${pc.dim('contracts')} ${message}\n`);

async function timed(name: string, run: () => Promise<{ ok: boolean; detail: string }>): Promise<boolean> {
  const t0 = performance.now();
  log(`${name}…`);
  const { ok, detail } = await run();
  const ms = Math.round(performance.now() - t0);
  steps.push({ name, ok, ms, detail });
  log(`${name}: ${ok ? pc.green('ok') : pc.red('FAILED')} — ${detail} (${(ms / 1000).toFixed(1)} s)`);
  return ok;
}

const project = await loadContractsProject(process.cwd());
const root = project.config.root;
if (project.errors.length > 0) {
  for (const d of project.errors) process.stderr.write(`${formatDiagnostic(d)}\n`);
  log('the specs have errors; fix them first (eventkit lint)');
  process.exit(2);
}
const version = args.version ?? (await gitVersion(root));
if (version === undefined) {
  log('not a git checkout; pass --version <version>');
  process.exit(64);
}

// 1. Consumer tests. The pact folder is emptied first: pact-js merges into existing files, and a pact of a
// consumer that no longer exists must disappear.
await timed('consumer contract tests', async () => {
  for (const name of await readdir(project.pactDir).catch(() => [] as string[])) {
    if (name.endsWith('.json')) await rm(path.join(project.pactDir, name));
  }
  const code = await new Promise<number>((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/contracts/consumers'],
      {
        cwd: root,
        env: { ...process.env, PACT_DO_NOT_TRACK: 'true', EVENTKIT_PACT_CONSUMERS: '1' },
        stdio: ['ignore', args.verbose ? 'inherit' : 'pipe', args.verbose ? 'inherit' : 'pipe'],
      },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (exitCode) => {
      if (exitCode !== 0 && !args.verbose) process.stderr.write(output);
      resolve(exitCode ?? 1);
    });
  });
  const { pacts } = await readPactDir(project.pactDir, root);
  const interactions = pacts.reduce((sum, p) => sum + p.pact.interactions.length, 0);
  return { ok: code === 0, detail: `${pacts.length} pacts, ${interactions} interactions written` };
});

// 2. Provider verification.
await timed('provider verification', async () => {
  const outcome = await runVerificationIsolated(
    { root, version, providerGlobs: [...providerGlobsOf(project.config)], record: true },
    {
      onProgress: (m) => log(m),
      ...(args.verbose ? { onVerifierOutput: (c: string) => process.stderr.write(c) } : {}),
    },
  );
  if (outcome.kind === 'crash') return { ok: false, detail: outcome.message };
  if (outcome.kind === 'spec-errors' || outcome.result.status === 'bad-input') {
    const diagnostics = outcome.kind === 'spec-errors' ? outcome.diagnostics : outcome.result.diagnostics;
    for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    return { ok: false, detail: 'bad input (see above); nothing verified' };
  }
  const { result } = outcome;
  process.stdout.write(
    formatVerification(
      result.verifications.flatMap((v) => v.interactions),
      process.stdout.isTTY === true,
    ),
  );
  return {
    ok: result.status === 'verified',
    detail: `${result.interactions.total - result.interactions.failed}/${result.interactions.total} interactions of ${result.verifications.length} pacts verified`,
  };
});

// 3. Cross-check and coverage.
await timed('cross-check against the spec', async () => {
  const { pacts, errors } = await readPactDir(project.pactDir, root);
  const result = crossCheck(project.registry, pacts);
  for (const e of errors) process.stderr.write(`${e.file}: ${e.message}\n`);
  for (const d of result.diagnostics)
    process.stdout.write(`${formatDiagnostic(d, process.stdout.isTTY === true)}\n`);
  const errorCount = errors.length + result.diagnostics.filter((d) => d.severity === 'error').length;
  return {
    ok: errorCount === 0,
    detail: `${result.interactions} interactions checked, ${result.coverage.covered}/${result.coverage.total} received events covered, ${errorCount} error(s)`,
  };
});

// 4. can-i-deploy for every service.
await timed('can-i-deploy', async () => {
  const matrix = await readResults(project.resultsFile, root);
  const answers = project.registry.services.map((s) => canIDeploy(matrix, s.id, version, [s.id]));
  for (const a of answers)
    process.stdout.write(
      `  ${a.deployable ? pc.green('yes') : pc.red('no ')} ${a.pacticipant}: ${a.reason}\n`,
    );
  const blocked = answers.filter((a) => !a.deployable).map((a) => a.pacticipant);
  return {
    ok: blocked.length === 0,
    detail:
      blocked.length === 0
        ? `all ${answers.length} services deployable`
        : `not deployable: ${blocked.join(', ')}`,
  };
});

const total = Math.round(performance.now() - started);
process.stdout.write(`\ncontracts at ${version.slice(0, 12)}:\n`);
for (const s of steps)
  process.stdout.write(
    `  ${s.ok ? pc.green('✓') : pc.red('✗')} ${s.name.padEnd(30)} ${(s.ms / 1000).toFixed(1).padStart(6)} s  ${s.detail}\n`,
  );
process.stdout.write(`  total ${(total / 1000).toFixed(1)} s\n`);
process.exitCode = steps.every((s) => s.ok) ? 0 : 1;
