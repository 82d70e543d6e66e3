// Turns `--against <git-ref | dir>` into a project folder on disk. A git ref is materialised with
// `git archive <ref> -- <paths> | tar -x` into a temp folder, copying only the contract paths.
import { spawn } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompatError } from './errors.ts';

export interface ProjectSource {
  /** Absolute path of the project folder (where its config would be). */
  readonly root: string;
  /** `git:<ref>@<sha7>` or `dir:<path>`. */
  readonly label: string;
  /** Removes the temp folder of a materialised ref; no-op for folders. */
  readonly dispose: () => Promise<void>;
}

export interface MaterialiseOptions {
  /** The head project folder; refs are read from the git repository that holds it, folders are relative to it. */
  readonly projectRoot: string;
  /** Project-relative paths worth copying out of a ref (contract folders and config files). */
  readonly paths: readonly string[];
}

function git(
  args: readonly string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', (cause) =>
      reject(
        new CompatError('git-failed', 'cannot run git', {
          cause,
          hint: 'install git or pass a folder to --against',
        }),
      ),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** `git archive <sha> -- <paths> | tar -x -C <dest>`, without a shell. */
function archiveInto(repoTop: string, sha: string, paths: readonly string[], dest: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const archive = spawn('git', ['archive', '--format=tar', sha, '--', ...paths], {
      cwd: repoTop,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tar = spawn('tar', ['-x', '-f', '-', '-C', dest], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    archive.stderr.setEncoding('utf8').on('data', (d: string) => {
      errors += d;
    });
    tar.stderr.setEncoding('utf8').on('data', (d: string) => {
      errors += d;
    });
    archive.stdout.pipe(tar.stdin);
    // Both processes must have exited (in either order) before the result is known.
    let pending = 2;
    let failed = false;
    const done = (code: number | null) => {
      if (code !== 0) failed = true;
      pending -= 1;
      if (pending > 0) return;
      if (failed)
        reject(new CompatError('git-failed', `git archive ${sha.slice(0, 7)} failed: ${errors.trim()}`));
      else resolve();
    };
    archive.on('error', reject);
    tar.on('error', reject);
    archive.on('close', done);
    tar.on('close', done);
  });
}

/** Static folder part of a glob: `asyncapi/*.{yaml,yml}` → `asyncapi`. */
export function globBase(pattern: string): string {
  const segments = pattern.split('/');
  const kept: string[] = [];
  for (const s of segments) {
    if (/[*?{}[\]!]/.test(s)) break;
    kept.push(s);
  }
  return kept.join('/');
}

/** What a `--against` value points at, checked but not yet copied. */
export type ResolvedSource =
  | { readonly kind: 'dir'; readonly root: string; readonly label: string }
  | { readonly kind: 'git'; readonly repoTop: string; readonly sha: string; readonly label: string };

/** Checks a `--against` / `--history` value (cheap: no copying), so bad input fails before slow loading. */
export async function resolveSource(spec: string, projectRoot: string): Promise<ResolvedSource> {
  const forced = /^(git|dir):/.exec(spec)?.[1];
  const value = forced === undefined ? spec : spec.slice(forced.length + 1);
  const asDir = path.resolve(projectRoot, value);
  if (forced === 'dir' || (forced === undefined && existsSync(asDir))) {
    if (!existsSync(asDir) || !statSync(asDir).isDirectory()) {
      throw new CompatError('bad-dir', `--against ${spec}: ${asDir} is not a folder`, {
        hint: 'pass an existing project folder or a git ref (branch, tag, commit)',
      });
    }
    return { kind: 'dir', root: asDir, label: `dir:${value}` };
  }

  const top = await git(['rev-parse', '--show-toplevel'], projectRoot);
  if (top.code !== 0) {
    throw new CompatError(
      'bad-ref',
      `--against ${spec}: no such folder, and ${projectRoot} is not in a git repository`,
      {
        hint: 'pass an existing folder, or run inside a git checkout to compare against a ref',
      },
    );
  }
  const repoTop = top.stdout.trim();
  const verified = await git(['rev-parse', '--verify', '--quiet', `${value}^{commit}`], projectRoot);
  if (verified.code !== 0 || value.startsWith('-')) {
    throw new CompatError(
      'bad-ref',
      `--against ${spec}: not a folder and not a git commit, branch or tag in ${repoTop}`,
      {
        hint: 'check the ref with `git rev-parse <ref>` (in CI, fetch it first: `git fetch origin main`)',
      },
    );
  }
  const sha = verified.stdout.trim();
  return { kind: 'git', repoTop, sha, label: `git:${value}@${sha.slice(0, 7)}` };
}

export async function materialise(spec: string, options: MaterialiseOptions): Promise<ProjectSource> {
  const resolved = await resolveSource(spec, options.projectRoot);
  if (resolved.kind === 'dir') return { root: resolved.root, label: resolved.label, dispose: async () => {} };
  const { repoTop, sha } = resolved;
  const prefix = path
    .relative(repoTop, realpathSync(path.resolve(options.projectRoot)))
    .split(path.sep)
    .join('/');
  const wanted = options.paths
    .map((p) => path.posix.join(prefix, p).replace(/^\.\//, ''))
    .filter((p) => p !== '');
  const listed = await git(
    ['ls-tree', '-r', '--name-only', sha, '--', prefix === '' ? '.' : prefix],
    repoTop,
  );
  if (listed.code !== 0)
    throw new CompatError('git-failed', `git ls-tree ${sha.slice(0, 7)} failed: ${listed.stderr.trim()}`);
  const files = listed.stdout
    .split('\n')
    .filter((f) => f !== '' && wanted.some((w) => f === w || f.startsWith(`${w}/`)));

  const scratch = await mkdtemp(path.join(tmpdir(), 'eventkit-against-'));
  const dispose = () => rm(scratch, { recursive: true, force: true });
  try {
    await mkdir(path.join(scratch, prefix), { recursive: true });
    if (files.length > 0) await archiveInto(repoTop, sha, files, scratch);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { root: path.join(scratch, prefix), label: resolved.label, dispose };
}
