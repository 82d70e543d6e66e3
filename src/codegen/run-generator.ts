// Renders eventkit's AsyncAPI generator template (a local React template, never installed: offline-safe).

import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { CodegenError } from './errors.ts';
import { swapFolder } from './output-tree.ts';

/** The generator template folder (a React template with its own package.json). */
export const templateDir = fileURLToPath(new URL('./template', import.meta.url));
/** Where the generator looks for the transpiled template (`compile: false`). */
const transpiledDir = path.join(templateDir, '__transpiled');

/** One file a React template renders: its content and the name from `<File name>`. */
interface RenderedFile {
  readonly content?: unknown;
  readonly metadata?: { readonly fileName?: string };
}

interface ReactSdk {
  renderTemplate(
    file: string,
    props: Record<string, unknown>,
    debug?: boolean,
  ): Promise<RenderedFile | RenderedFile[] | undefined>;
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
      throw new CodegenError(`cannot transpile the generator template: ${(error as Error).message}`, {
        cause: error,
        kind: 'internal',
      });
    }
  });
  transpiledThisProcess = true;
}

/** The template's entry files (relative, `/`-separated): every `.js` file under `template/`. */
async function templateEntries(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await templateEntries(path.join(dir, entry.name), relative)));
    else if (entry.name.endsWith('.js')) files.push(relative);
  }
  return files;
}

/**
 * Renders the template for one parsed document into `targetDir`, the way @asyncapi/generator renders a
 * React template (each entry's `<File name>` results written beside the entry's folder), without the
 * generator itself: it is about 160 MB of dependencies a user's install would carry for this one call.
 * The stock generator still runs the template byte-identically (test/codegen/stock-generator.test.ts).
 */
export async function runGenerator(
  document: AsyncAPIDocumentInterface,
  targetDir: string,
  inputFile: string,
): Promise<void> {
  await ensureTemplateTranspiled();
  const sdk = reactSdk();
  const props = { asyncapi: document, params: { input: inputFile } };
  try {
    for (const entry of await templateEntries(path.join(templateDir, 'template'))) {
      const rendered = await sdk.renderTemplate(path.join(transpiledDir, entry), props);
      const files = rendered === undefined ? [] : Array.isArray(rendered) ? rendered : [rendered];
      for (const file of files) {
        if (typeof file.content !== 'string')
          throw new Error(`${entry} rendered ${String(file.content)} instead of text`);
        const name = file.metadata?.fileName?.trim() || path.posix.basename(entry);
        const target = path.join(targetDir, path.posix.dirname(entry), name);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, file.content);
      }
    }
  } catch (error) {
    throw new CodegenError(`the generator template failed: ${(error as Error).message}`, {
      cause: error,
      kind: 'internal',
    });
  }
}
