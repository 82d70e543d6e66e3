// Transpiles eventkit's codegen template for the stock AsyncAPI generator (test/codegen/stock-generator.test.ts).
// eventkit codegen itself renders in process (src/codegen/template/lib/render-service.js) and never needs this.

import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { swapFolder } from '../../../src/codegen/output-tree.ts';

/** The generator template folder (a React template with its own package.json). */
export const templateDir = fileURLToPath(new URL('../../../src/codegen/template', import.meta.url));
/** Where the generator looks for the transpiled template (`compile: false`). */
const transpiledDir = path.join(templateDir, '__transpiled');

interface ReactSdk {
  transpileFiles(directory: string, outputDir: string, options: { recursive: boolean }): Promise<void>;
}

const require = createRequire(import.meta.url);
let transpiledThisProcess = false;

function reactSdk(): ReactSdk {
  // Loaded lazily: only codegen needs the SDK (and through it the parser and babel).
  return require('@asyncapi/generator-react-sdk') as ReactSdk;
}

/** The newest modification time of any file under `dir` (0 when it does not exist). */
async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestMtime(full) : (await stat(full)).mtimeMs);
  }
  return newest;
}

async function isTranspiledStale(): Promise<boolean> {
  const transpiled = await newestMtime(transpiledDir);
  if (transpiled === 0) return true;
  const sources = Math.max(
    await newestMtime(path.join(templateDir, 'template')),
    await newestMtime(path.join(templateDir, 'lib')),
  );
  return sources > transpiled;
}

/** A cross-process lock (mkdir is atomic); a lock older than a minute is taken as abandoned. */
async function withLock<T>(lock: string, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > 60_000) await rm(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/**
 * Transpiles the template (rollup + babel, the slow part) when a source is newer than the transpiled
 * copy: at most once per process, under a lock, into a staging folder swapped in by renames — so
 * parallel codegen runs (tests, editors) never read a half-written template.
 */
export async function ensureTemplateTranspiled(): Promise<void> {
  if (transpiledThisProcess) return;
  const lock = path.join(
    os.tmpdir(),
    `eventkit-template-${Buffer.from(templateDir).toString('base64url').slice(-40)}.lock`,
  );
  await withLock(lock, async () => {
    if (!(await isTranspiledStale())) return;
    const { transpileFiles } = reactSdk();
    const staging = `${transpiledDir}.tmp-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    try {
      await transpileFiles(path.join(templateDir, 'template'), staging, { recursive: true });
      await swapFolder(staging, transpiledDir);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw new Error(`cannot transpile the generator template: ${(error as Error).message}`, {
        cause: error,
      });
    }
  });
  transpiledThisProcess = true;
}
