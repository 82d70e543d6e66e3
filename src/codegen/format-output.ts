// Formats generated files in process with dprint's TypeScript plugin (WebAssembly), so they read like
// hand-written code. Not the repo's biome: its native binary is ~96 MB in every user's install; dprint is
// 5.5 MB and, with template/format-options.json, writes the same bytes as biome for the repo's style.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createFromBuffer, type Formatter } from '@dprint/formatter';
import { CodegenError } from './errors.ts';

/** dprint settings for generated code; the template's stock-generator hook reads the same file. */
const formatOptions = JSON.parse(
  readFileSync(new URL('./template/format-options.json', import.meta.url), 'utf8'),
) as { global: Record<string, unknown>; typescript: Record<string, unknown> };

/** Created on first use (compiling the WebAssembly plugin takes ~20 ms): commands that generate nothing skip it. */
let formatter: Formatter | undefined;

function typescriptFormatter(): Formatter {
  if (formatter) return formatter;
  const plugin = createRequire(import.meta.url)('@dprint/typescript') as { getPath(): string };
  const created = createFromBuffer(readFileSync(plugin.getPath()));
  created.setConfig(formatOptions.global, formatOptions.typescript);
  formatter = created;
  return created;
}

/** The formatted text of one generated TypeScript file (`file` names it in an error). */
export async function formatGenerated(file: string, content: string): Promise<string> {
  try {
    return typescriptFormatter().formatText({ filePath: file, fileText: content });
  } catch (error) {
    throw new CodegenError(
      `formatting the generated ${file} failed (a template bug): ${(error as Error).message}`,
      { cause: error, kind: 'internal' },
    );
  }
}
