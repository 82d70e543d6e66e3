// Helpers for the foreign-document suites: copy a corpus fixture into a scratch project wired to this
// repo's runtime (so generated code imports it relatively and runs), and load it.
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { loadProject } from '../../src/model/index.ts';
import type { LoadResult } from '../../src/model/types.ts';
import { repoRoot, scratchProject } from '../codegen/support/project.ts';

export const corpusDir = path.join(repoRoot, 'test/fixtures/corpus');

/** A scratch copy of `test/fixtures/corpus/<name>` (with `src/runtime` linked in). */
export async function scratchCopy(name: string): Promise<string> {
  const root = await scratchProject(`foreign-${name}`);
  await cp(path.join(corpusDir, name), root, { recursive: true });
  return root;
}

export const payloadsDir = path.join(repoRoot, 'test/fixtures/payloads');

/** A scratch copy of `test/fixtures/payloads/<name>` (payload-format documents, see payloads.test.ts). */
export async function scratchPayloadsCopy(name: string): Promise<string> {
  const root = await scratchProject(`payloads-${name}`);
  await cp(path.join(payloadsDir, name), root, { recursive: true });
  return root;
}

export async function load(root: string): Promise<LoadResult> {
  const result = await loadProject(root);
  return result;
}
