// Reading, comparing and atomically replacing generated folders.
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Every file under `dir` by posix relative path (empty when the folder does not exist). */
export async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const walk = async (current: string, prefix: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) await walk(path.join(current, entry.name), relative);
      else files.set(relative, await readFile(path.join(current, entry.name)));
    }
  };
  await walk(dir, '');
  return files;
}

export interface TreeDifference {
  /** Relative paths whose content differs or that one side lacks, sorted. */
  readonly changed: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** What writing `next` over `current` would change. */
export function diffTrees(
  current: ReadonlyMap<string, Buffer>,
  next: ReadonlyMap<string, Buffer>,
): TreeDifference {
  const changed: string[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  for (const [file, content] of next) {
    const existing = current.get(file);
    if (existing === undefined) added.push(file);
    else if (!existing.equals(content)) changed.push(file);
  }
  for (const file of current.keys()) if (!next.has(file)) removed.push(file);
  return { changed: changed.sort(), added: added.sort(), removed: removed.sort() };
}

export const isEmptyDifference = (difference: TreeDifference): boolean =>
  difference.changed.length + difference.added.length + difference.removed.length === 0;

/**
 * Replaces `target` with `staged` by renames (same file system), so readers see the old folder or the
 * new one, never a half-written mix. `staged` is consumed.
 */
export async function swapFolder(staged: string, target: string): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const old = `${target}.old-${process.pid}-${Date.now()}`;
  let hadOld = true;
  try {
    await rename(target, old);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    hadOld = false;
  }
  try {
    await rename(staged, target);
  } catch (error) {
    if (hadOld) await rename(old, target);
    throw error;
  }
  if (hadOld) await rm(old, { recursive: true, force: true });
}
