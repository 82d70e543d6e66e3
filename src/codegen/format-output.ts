// Formats generated files with prettier, in process, so they read like hand-written code. Prettier rather
// than the repo's biome: it is pure JavaScript (biome's native binary is ~96 MB in every user's install)
// and, with template/format-options.json, writes the same bytes as biome does for the repo's style.
import { readFileSync } from 'node:fs';
import type { Options } from 'prettier';
import { CodegenError } from './errors.ts';

/** Prettier settings for generated code; the template's stock-generator hook reads the same file. */
const formatOptions = JSON.parse(
  readFileSync(new URL('./template/format-options.json', import.meta.url), 'utf8'),
) as Options;

/** Loaded on first use: commands that do not generate code never pay for prettier. */
let prettier: typeof import('prettier') | undefined;

/** The formatted text of one generated TypeScript file (`file` names it in an error). */
export async function formatGenerated(file: string, content: string): Promise<string> {
  prettier ??= await import('prettier');
  try {
    return await prettier.format(content, { ...formatOptions, filepath: file });
  } catch (error) {
    throw new CodegenError(
      `formatting the generated ${file} failed (a template bug): ${(error as Error).message}`,
      { cause: error, kind: 'internal' },
    );
  }
}
