// Helpers for codegen tests: scratch projects wired to this repo's runtime, file trees, tsc.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

/**
 * A scratch project folder whose `src/runtime` links to this repo's runtime, so generated code imports
 * it relatively (as in the repo) and type-checks and runs against the real thing (and its dependencies).
 */
export async function scratchProject(prefix: string): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), `eventkit-${prefix}-`));
  await mkdir(path.join(root, 'src'), { recursive: true });
  await symlink(path.join(repoRoot, 'src', 'runtime'), path.join(root, 'src', 'runtime'), 'dir');
  // The runtime's provisioning reads the registry types.
  await symlink(path.join(repoRoot, 'src', 'model'), path.join(root, 'src', 'model'), 'dir');
  await symlink(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}

/** Runs `tsc --noEmit` with the repo's compiler options over `files` (globs relative to `root`). */
export async function typeCheck(
  root: string,
  include: readonly string[],
): Promise<{ ok: boolean; output: string }> {
  const config = {
    extends: path.join(repoRoot, 'tsconfig.json'),
    compilerOptions: { typeRoots: [path.join(repoRoot, 'node_modules', '@types')], noEmit: true },
    include: [...include],
    exclude: [],
  };
  const file = path.join(root, 'tsconfig.codegen-test.json');
  await writeFile(file, JSON.stringify(config, null, 2));
  try {
    await run(
      process.execPath,
      [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', file],
      {
        cwd: root,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return { ok: true, output: '' };
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${output.stdout ?? ''}${output.stderr ?? ''}` };
  }
}
