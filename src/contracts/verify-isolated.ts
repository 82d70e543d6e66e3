// Runs provider verification in a child process (see verify-worker.ts for why) and returns its result.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Diagnostic } from '../model/types.ts';
import { runsFromSource, siblingModule } from '../module-url.ts';
import type { VerifyRunResult } from './verify-run.ts';

export interface IsolatedVerifyRequest {
  /** Project folder (where eventkit.config.* lives, or the cwd). */
  readonly root: string;
  readonly version: string;
  readonly providerGlobs: readonly string[];
  readonly only?: readonly string[];
  readonly record: boolean;
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

export function runVerificationIsolated(
  request: IsolatedVerifyRequest,
  hooks: IsolatedVerifyHooks = {},
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
