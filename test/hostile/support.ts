// Helpers for the hostile-input tests: tiny projects in temp folders, the CLI in-process (fast) or as a
// real process (for hangs, closed pipes and the working directory), and a snapshot of every file under a
// folder so a test can prove that nothing was written.
import { execFile, spawn } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repoRoot, 'bin/eventkit.mjs');
/** A two-service project (shop sends OrderPlaced, billing receives it) with protobuf payloads. */
export const miniShop = path.join(repoRoot, 'test/lint/fixtures/mini-shop');

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A copy of `from` (default: the mini shop) in a fresh temp folder, with `files` written over it. */
export function makeProject(files: Record<string, string> = {}, from: string | undefined = miniShop): string {
  const parent = mkdtempSync(path.join(tmpdir(), 'eventkit-hostile-'));
  const root = path.join(parent, 'project');
  if (from) cpSync(from, root, { recursive: true });
  else mkdirSync(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** Removes a project made by makeProject (and its temp parent). */
export function removeProject(root: string): void {
  rmSync(path.dirname(root), { recursive: true, force: true });
}

/** A project factory for one test file: every project it makes is removed after the file's tests. */
export function projectsOfThisFile(): (files?: Record<string, string>) => string {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) removeProject(root);
  });
  return (files = {}) => {
    const root = makeProject(files);
    roots.push(root);
    return root;
  };
}

/** Runs the CLI's main() in this process, capturing stdout and stderr. */
export async function runMain(args: readonly string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main([...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

export interface ProcessRun extends Run {
  /** True when the process had to be killed after `timeoutMs`. */
  readonly timedOut: boolean;
}

/** Runs bin/eventkit.mjs as a real process; kills it after `timeoutMs` (a hang is a failure, not a wait). */
export function runProcess(
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<ProcessRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd: options.cwd ?? repoRoot,
        timeout: options.timeoutMs ?? 60_000,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: '1', EVENTKIT_DEBUG: '', ...options.env },
      },
      (error, stdout, stderr) => {
        const timedOut = Boolean(error && (error as { killed?: boolean }).killed);
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr), timedOut });
      },
    );
  });
}

/** Runs a shell pipeline (for closed-pipe cases); resolves with the exit status of the whole pipeline. */
export function runShell(script: string, cwd = repoRoot): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', script], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', EVENTKIT: `${process.execPath} ${bin}` },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += String(c);
    });
    child.stderr.on('data', (c) => {
      stderr += String(c);
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Every file under `root` with its size and mtime: compare two snapshots to find writes. */
export function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else if (entry.isFile()) {
        const stats = statSync(abs);
        out.set(path.relative(root, abs), `${stats.size}:${stats.mtimeMs}:${readFileSync(abs).length}`);
      } else out.set(path.relative(root, abs), entry.isSymbolicLink() ? 'symlink' : 'special');
    }
  };
  walk(root);
  return out;
}

/** Paths added, removed or changed between two snapshots. */
export function changedPaths(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed = new Set<string>();
  for (const [file, stamp] of after) if (before.get(file) !== stamp) changed.add(file);
  for (const file of before.keys()) if (!after.has(file)) changed.add(file);
  return [...changed].sort();
}

/** A stack frame line (`    at fn (file:1:2)`) anywhere in the output. */
export const stackTrace = /^\s+at .+[:(]/m;
