// Runs provider verification in child processes (see verify-worker.ts for why a child) and returns one
// result. Independent providers run in parallel workers, one per core: each worker checks every input
// (so bad input is reported exactly as by one worker) and verifies only its providers; this process merges
// their verifications in pact-file order and records the results matrix once.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '../model/config.ts';
import type { Diagnostic } from '../model/types.ts';
import { runsFromSource, siblingModule } from '../module-url.ts';
import { readPactDir } from './pact-file.ts';
import type { PactVerification } from './provider.ts';
import { readResults, recordVerifications, writeResults } from './results.ts';
import { type ProviderLoad, planWorkers } from './verify-plan.ts';
import type { VerifyRunResult } from './verify-run.ts';

export interface IsolatedVerifyRequest {
  /** Project folder (where eventkit.config.* lives, or the cwd). */
  readonly root: string;
  readonly version: string;
  readonly providerGlobs: readonly string[];
  readonly only?: readonly string[];
  readonly record: boolean;
  /** Pact folder and results file (relative to root or absolute); default the config's `output`. */
  readonly pacts?: string;
  readonly results?: string;
  /** Worker processes at most (default: the cores available, at most 4). */
  readonly workers?: number;
}

export type WorkerMessage =
  | { readonly kind: 'progress'; readonly message: string }
  | { readonly kind: 'result'; readonly result: VerifyRunResult }
  | { readonly kind: 'spec-errors'; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'crash'; readonly message: string };

export type IsolatedVerifyOutcome = Exclude<WorkerMessage, { kind: 'progress' }>;

export interface IsolatedVerifyHooks {
  readonly onProgress?: (message: string) => void;
  /** The native verifier's own report (pact-js prints it to stdout). */
  readonly onVerifierOutput?: (chunk: string) => void;
}

export const defaultVerifyWorkers = (): number => Math.min(os.availableParallelism(), 4);

export async function runVerificationIsolated(
  request: IsolatedVerifyRequest,
  hooks: IsolatedVerifyHooks = {},
): Promise<IsolatedVerifyOutcome> {
  const started = performance.now();
  const groups = await workerGroups(request);
  if (groups === undefined) return runWorker(request, hooks);
  const outcomes = await Promise.all(
    groups.map((only) => runWorker({ ...request, only, record: false }, hooks)),
  );
  // Every worker checked the same inputs: a problem any of them found is the answer.
  const problem =
    outcomes.find((o) => o.kind === 'crash') ??
    outcomes.find((o) => o.kind === 'spec-errors') ??
    outcomes.find((o) => o.kind === 'result' && o.result.status === 'bad-input');
  if (problem !== undefined) return problem;
  const results = outcomes.flatMap((o) => (o.kind === 'result' ? [o.result] : []));
  const verifications = results
    .flatMap((r) => r.verifications)
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)); // readPactDir's order
  const resultsWritten = request.record && verifications.length > 0;
  if (resultsWritten) await record(request, verifications);
  const all = verifications.flatMap((v) => v.interactions);
  return {
    kind: 'result',
    result: {
      status: verifications.every((v) => v.success) ? 'verified' : 'failed',
      diagnostics: [],
      verifications,
      interactions: { total: all.length, failed: all.filter((i) => !i.success).length },
      version: request.version,
      resultsWritten,
      durationMs: Math.round(performance.now() - started),
    },
  };
}

/**
 * Providers per worker, or undefined when one worker does it all (one core, one provider, or pacts that do
 * not even read: the worker reports those as bad input).
 */
async function workerGroups(request: IsolatedVerifyRequest): Promise<string[][] | undefined> {
  const workers = request.workers ?? defaultVerifyWorkers();
  if (workers <= 1) return undefined;
  const { config } = await loadConfig(request.root);
  const read = await readPactDir(
    path.resolve(config.root, request.pacts ?? config.output.pacts),
    config.root,
  ).catch(() => undefined);
  if (read === undefined || read.errors.length > 0) return undefined;
  const { pacts } = read;
  const loads = new Map<string, number>();
  for (const { pact } of pacts) {
    if (request.only !== undefined && !request.only.includes(pact.provider.name)) continue;
    loads.set(pact.provider.name, (loads.get(pact.provider.name) ?? 0) + pact.interactions.length);
  }
  const groups = planWorkers(
    [...loads].map(([provider, interactions]): ProviderLoad => ({ provider, interactions })),
    workers,
  );
  return groups.length > 1 ? groups : undefined;
}

async function record(request: IsolatedVerifyRequest, verifications: readonly PactVerification[]) {
  const { config } = await loadConfig(request.root);
  const file = path.resolve(config.root, request.results ?? config.output.results);
  const matrix = await readResults(file, config.root);
  await writeResults(
    file,
    recordVerifications(matrix, verifications, {
      providerVersion: request.version,
      consumerVersion: request.version,
    }),
  );
}

function runWorker(
  request: IsolatedVerifyRequest,
  hooks: IsolatedVerifyHooks,
): Promise<IsolatedVerifyOutcome> {
  const worker = fileURLToPath(siblingModule(import.meta.url, 'verify-worker'));
  // Provider modules are the user's TypeScript: the child always loads tsx. From eventkit's own sources it
  // loads the checkout's source mode instead (tsx plus eventkit's entry points resolved to src/).
  const loader = runsFromSource(import.meta.url)
    ? new URL('../../tools/dev/source-mode.mjs', import.meta.url).href
    : pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = fork(worker, [], {
    cwd: request.root,
    // The loader by absolute URL: the child may run in another folder; require.resolve also works
    // where import.meta.resolve does not (vitest).
    execArgv: ['--import', loader],
    env: { ...process.env, PACT_DO_NOT_TRACK: 'true' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => hooks.onVerifierOutput?.(chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => hooks.onVerifierOutput?.(chunk));
  return new Promise((resolve, reject) => {
    let outcome: IsolatedVerifyOutcome | undefined;
    child.on('message', (message: WorkerMessage) => {
      if (message.kind === 'progress') hooks.onProgress?.(message.message);
      else outcome = message;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (outcome !== undefined) resolve(outcome);
      else
        resolve({
          kind: 'crash',
          message: `the verification process exited (${signal ?? `code ${code}`}) without a result`,
        });
    });
    child.send(request);
  });
}
