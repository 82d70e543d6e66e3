// The fuzz runner: a child process (started by fuzz.test.ts through worker.mjs) that runs cases in-process
// through the CLI's main() — a process start per case would cost 1–2 s — and reports each result over IPC.
// The parent watches the clock: a case that does not answer in time gets this process killed and is counted
// as a hang, and a new runner continues with the next case.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../src/cli/main.ts';
import {
  baseInputs,
  defaultCounts,
  emptyResults,
  expectedOutputs,
  type FuzzCase,
  fuzzCases,
  miniShop,
  pactFile,
  resultsFile,
} from './cases.ts';
import type { CaseResult } from './judge.ts';

const workspace = process.env.EVENTKIT_FUZZ_WORKSPACE as string;
const seed = Number(process.env.EVENTKIT_FUZZ_SEED ?? '13');
const start = Number(process.env.EVENTKIT_FUZZ_START ?? '0');
const scale = Number(process.env.EVENTKIT_FUZZ_SCALE ?? '1');
const only = process.env.EVENTKIT_FUZZ_ONLY;

const base = path.join(workspace, 'base');
const project = path.join(workspace, 'project');

/** The base project once per runner: the mini shop, a V4 pact, an empty results matrix; and a pristine copy. */
async function prepare(): Promise<void> {
  rmSync(base, { recursive: true, force: true });
  cpSync(miniShop, base, { recursive: true });
  mkdirSync(path.join(base, 'contracts/pacts'), { recursive: true });
  writeFileSync(path.join(base, pactFile), baseInputs().pactV4);
  writeFileSync(path.join(base, resultsFile), emptyResults);
  // Generated code up to date, so `codegen --check` of an unchanged project is exit 0.
  const generated = await runCaptured(['-C', base, 'codegen']);
  if (generated.code !== 0) throw new Error(`codegen of the base project failed:\n${generated.output}`);
  const pristine = path.join(workspace, 'pristine');
  rmSync(pristine, { recursive: true, force: true });
  cpSync(base, pristine, { recursive: true });
}

function resetProject(): void {
  rmSync(project, { recursive: true, force: true });
  cpSync(base, project, { recursive: true });
}

/** Puts back the files a case wrote over the base project (cheaper than a new copy when nothing else changed). */
function restoreFiles(files: FuzzCase['files']): void {
  for (const file of Object.keys(files)) {
    const from = path.join(base, file);
    const to = path.join(project, file);
    rmSync(to, { force: true });
    if (existsSync(from)) cpSync(from, to);
  }
}

/** Every file under `root` (symlinks and special files by kind): compare two to find writes. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      const rel = path.relative(root, abs);
      if (entry.isDirectory()) {
        // tsx's cache of compiled modules (under TMPDIR) grows with every module a command loads.
        if (!rel.startsWith(`tmp${path.sep}tsx-`)) walk(abs);
      } else if (entry.isFile()) {
        const stats = statSync(abs);
        out.set(rel, `${stats.size}:${stats.mtimeMs}:${stats.ino}`);
      } else out.set(rel, entry.isSymbolicLink() ? 'symlink' : 'special');
    }
  };
  walk(root);
  return out;
}

function changedPaths(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed = new Set<string>();
  for (const [file, stamp] of after) if (before.get(file) !== stamp) changed.add(file);
  for (const file of before.keys()) if (!after.has(file)) changed.add(file);
  return [...changed];
}

function outsideWrites(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed = changedPaths(before, after);
  // tsx (which runs the TypeScript sources in this checkout) caches compiled modules under TMPDIR.
  const allowed = [...expectedOutputs.map((output) => path.join('project', output)), 'tmp/tsx-'];
  return [...changed]
    .filter((file) => !allowed.some((prefix) => file === prefix || file.startsWith(prefix)))
    .sort();
}

function applyFiles(files: FuzzCase['files']): void {
  for (const [file, text] of Object.entries(files)) {
    const abs = path.join(project, file);
    if (text === null) rmSync(abs, { force: true });
    else {
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, text);
    }
  }
}

/** main() with stdout and stderr captured (the runner talks to its parent over IPC, not stdout). */
async function runCaptured(args: readonly string[]): Promise<{ code: number; output: string }> {
  let output = '';
  const capture = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    if (output.length < 256 * 1024) output += String(chunk);
    const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    done?.();
    return true;
  };
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  try {
    const code = await main([...args]);
    return { code, output };
  } catch (error) {
    // main() must never throw; if it does, the trace is the finding.
    return { code: 70, output: `${output}\n${error instanceof Error ? error.stack : String(error)}` };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

// Whatever escapes a command (a rejected promise nobody awaited) belongs to the case that is running.
let escaped = '';
process.on('unhandledRejection', (reason) => {
  escaped += `\nunhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`;
});
process.on('uncaughtException', (error) => {
  escaped += `\nuncaught exception: ${error.stack ?? String(error)}`;
});

const send = (message: unknown) =>
  new Promise<void>((resolve) => {
    process.send?.(message, () => resolve());
  });

async function run(): Promise<void> {
  await prepare();
  resetProject();
  const counts = Object.fromEntries(
    Object.entries(defaultCounts).map(([format, count]) => [format, Math.max(1, Math.round(count * scale))]),
  ) as typeof defaultCounts;
  const cases = fuzzCases(seed, counts);
  await send({ type: 'total', total: cases.length, names: cases.map((c) => c.name) });
  for (let index = start; index < cases.length; index++) {
    const fuzzCase = cases[index] as FuzzCase;
    if (only !== undefined && !fuzzCase.name.includes(only)) continue;
    applyFiles(fuzzCase.files);
    await send({ type: 'start', index });
    const before = snapshot(workspace);
    const args = fuzzCase.ownCwd
      ? fuzzCase.args.map((arg) => arg.replaceAll('{project}', project))
      : ['-C', project, ...fuzzCase.args];
    const started = performance.now();
    escaped = '';
    const { code, output } = await runCaptured(args);
    // A moment for a stray rejection of this case to surface here, not in the next one.
    await new Promise((resolve) => setImmediate(resolve));
    const after = snapshot(workspace);
    const result: CaseResult = {
      index,
      name: fuzzCase.name,
      code,
      output: output + escaped,
      outsideWrites: outsideWrites(before, after),
      hung: false,
      ms: Math.round(performance.now() - started),
    };
    // A command that wrote anything (its outputs) gets a fresh copy of the base project for the next case.
    if (changedPaths(before, after).some((file) => file.startsWith(`project${path.sep}`))) resetProject();
    else restoreFiles(fuzzCase.files);
    await send({ type: 'result', result });
  }
  await send({ type: 'done' });
}

try {
  await run();
  process.exit(0);
} catch (error) {
  // The runner itself failed (the base project does not generate): say so, not "0 cases".
  await send({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
