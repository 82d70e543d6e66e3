// Writing a scaffold's files: all or nothing, never over a file that exists.
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ScaffoldError } from './errors.ts';

export interface PlannedFile {
  /** Relative to the project root, `/`-separated. */
  readonly path: string;
  readonly content: string;
  /** `create` refuses an existing file; `update` replaces one the command read and merged. */
  readonly mode: 'create' | 'update';
}

/** Throws for the first `create` file that exists, naming it. */
export function assertCreatable(root: string, files: readonly PlannedFile[]): void {
  for (const file of files)
    if (file.mode === 'create' && existsSync(path.join(root, file.path)))
      throw new ScaffoldError(
        `${file.path} exists; eventkit never overwrites a file (move it away or pick another folder)`,
        {
          kind: 'exists',
          file: file.path,
        },
      );
}

/**
 * Writes every file next to its target first, then renames them all into place: a failure while
 * writing leaves the project as it was.
 */
export async function writeAll(root: string, files: readonly PlannedFile[]): Promise<void> {
  assertCreatable(root, files);
  const staged: { temp: string; target: string }[] = [];
  try {
    for (const file of files) {
      const target = path.join(root, file.path);
      await mkdir(path.dirname(target), { recursive: true });
      const temp = `${target}.eventkit-${process.pid}.tmp`;
      await writeFile(temp, file.content, { flag: 'wx' });
      staged.push({ temp, target });
    }
  } catch (error) {
    await Promise.all(staged.map((s) => rm(s.temp, { force: true })));
    throw error;
  }
  for (const { temp, target } of staged) await rename(temp, target);
}
