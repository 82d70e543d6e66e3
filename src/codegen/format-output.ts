// Formats the generated files with biome (the repo's formatter) so they read like hand-written code.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CodegenError } from './errors.ts';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
/** biome settings for generated code: the repo's style, every file included, no linting. */
const configFile = fileURLToPath(new URL('./template/biome-format.json', import.meta.url));

function biomeBin(): string {
  const packageJson = require.resolve('@biomejs/biome/package.json');
  return path.join(path.dirname(packageJson), 'bin', 'biome');
}

/** Formats every file under `dir` in place. */
export async function formatGenerated(dir: string): Promise<void> {
  try {
    // Run inside the folder it formats: from the caller's directory biome looks for (and trips over)
    // other root configurations (`cd / && eventkit -C project codegen`).
    await run(process.execPath, [biomeBin(), 'format', '--write', '--config-path', configFile, '.'], {
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string; message: string };
    const detail = `${output.stderr ?? ''}${output.stdout ?? ''}`.trim() || output.message;
    throw new CodegenError(`formatting the generated code failed (a template bug):\n${detail}`, {
      cause: error,
      kind: 'internal',
    });
  }
}
