// Drives the fuzz runner process: starts it, watches each case against the time limit, and on a hang kills
// it and starts a new one at the next case. Returns one result per case.
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseResult } from './judge.ts';

const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.mjs');

export interface DriveOptions {
  readonly seed: number;
  /** Per-case time limit; a case without an answer by then is a hang. */
  readonly caseTimeoutMs: number;
  /** Multiplies the generated cases per format (the named cases always run). */
  readonly scale?: number;
  /** Only cases whose name contains this (replaying one case). */
  readonly only?: string;
  readonly onResult?: (result: CaseResult) => void;
}

export interface DriveResult {
  readonly names: readonly string[];
  readonly results: readonly CaseResult[];
  /** Why the runner could not run the cases at all (its base project failed), if it could not. */
  readonly fatal?: string;
}

let fatal: string | undefined;

type Message =
  | { type: 'total'; total: number; names: string[] }
  | { type: 'start'; index: number }
  | { type: 'result'; result: CaseResult }
  | { type: 'done' }
  | { type: 'fatal'; message: string };

export async function drive(options: DriveOptions): Promise<DriveResult> {
  const root = mkdtempSync(path.join(tmpdir(), 'eventkit-fuzz-'));
  const results: CaseResult[] = [];
  let names: string[] = [];
  fatal = undefined;
  try {
    let start = 0;
    for (;;) {
      const workspace = path.join(root, `run-${start}`);
      mkdirSync(path.join(workspace, 'tmp'), { recursive: true });
      const next = await runFrom(start, workspace, options, results, (n) => {
        names = n;
      });
      rmSync(workspace, { recursive: true, force: true });
      if (next === undefined) break;
      start = next;
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { names, results, ...(fatal === undefined ? {} : { fatal }) };
}

/** Runs cases from `start`; resolves with the index to continue at after a hang or crash, or undefined when done. */
function runFrom(
  start: number,
  workspace: string,
  options: DriveOptions,
  results: CaseResult[],
  setNames: (names: string[]) => void,
): Promise<number | undefined> {
  return new Promise((resolve) => {
    const child = fork(worker, [], {
      execArgv: ['--conditions=eventkit-source', '--stack-size=984'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: {
        ...process.env,
        NO_COLOR: '1',
        EVENTKIT_DEBUG: '',
        TMPDIR: path.join(workspace, 'tmp'),
        EVENTKIT_FUZZ_WORKSPACE: workspace,
        EVENTKIT_FUZZ_SEED: String(options.seed),
        EVENTKIT_FUZZ_START: String(start),
        EVENTKIT_FUZZ_SCALE: String(options.scale ?? 1),
        ...(options.only ? { EVENTKIT_FUZZ_ONLY: options.only } : {}),
      },
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      if (stderr.length < 64 * 1024) stderr += String(chunk);
    });
    let names: string[] = [];
    let current: { index: number; started: number } | undefined;
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = (next: number | undefined) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      resolve(next);
    };
    const record = (result: CaseResult) => {
      results.push(result);
      options.onResult?.(result);
    };
    child.on('message', (message: Message) => {
      if (message.type === 'total') {
        names = message.names;
        setNames(names);
      } else if (message.type === 'start') {
        current = { index: message.index, started: performance.now() };
        clearTimeout(timer);
        timer = setTimeout(() => {
          const index = message.index;
          record({
            index,
            name: names[index] ?? `#${index}`,
            code: -1,
            output: `no answer within ${options.caseTimeoutMs} ms`,
            outsideWrites: [],
            hung: true,
            ms: options.caseTimeoutMs,
          });
          current = undefined;
          child.kill('SIGKILL');
          finish(index + 1);
        }, options.caseTimeoutMs);
      } else if (message.type === 'result') {
        clearTimeout(timer);
        current = undefined;
        record(message.result);
      } else if (message.type === 'done') {
        finish(undefined);
      } else if (message.type === 'fatal') {
        fatal = message.message;
        finish(undefined);
      }
    });
    child.on('exit', (code, signal) => {
      if (finished) return;
      if (current !== undefined) {
        // The command ended the whole process (process.exit or a crash): that case failed.
        const index = current.index;
        record({
          index,
          name: names[index] ?? `#${index}`,
          code: code ?? -2,
          output: `the runner process exited (${signal ?? code}) during the case\n${stderr}`,
          outsideWrites: [],
          hung: false,
          ms: Math.round(performance.now() - current.started),
        });
        finish(index + 1);
      } else finish(names.length > 0 ? undefined : undefined);
    });
  });
}
