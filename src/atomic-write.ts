// The one way eventkit replaces a single output file (verification results, pacts): write a temp file beside
// it, then rename. Readers see the old file or the new one, never half; an interrupted or failed write leaves
// the old file as it was and no temp file behind. (Generated code and the catalog site replace whole folders
// the same way: src/codegen/output-tree.ts, src/catalog/site-writer.ts.)
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes `text` to `file` through a temp file in the same folder + rename (creating the folder if needed). */
export async function writeFileAtomically(file: string, text: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  // Same folder: a rename within one file system is atomic. Hidden, and unique per process and call.
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  try {
    await writeFile(temp, text, { flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Like writeFileAtomically, but leaves the file (and its modification time) alone when `text` is already there. */
export async function replaceFileAtomically(file: string, text: string): Promise<void> {
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current === text) return;
  await writeFileAtomically(file, text);
}
