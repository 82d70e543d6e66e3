// `buf lint` over every proto root that has a buf.yaml (in the root or a parent up to the project root),
// its findings mapped to `buf/<RULE>` diagnostics at file:line:col.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { diagnostic, location, relativePath } from '../diagnostics.ts';
import type { Diagnostic, EventkitConfig } from '../types.ts';

interface BufFinding {
  path?: string;
  start_line?: number;
  start_column?: number;
  type?: string;
  message?: string;
}

/** The buf binary of the installed @bufbuild/buf package, or undefined. */
export function findBufBinary(root: string): string | undefined {
  const candidates = [path.join(root, 'node_modules/.bin/buf')];
  try {
    const require = createRequire(import.meta.url);
    candidates.push(path.join(path.dirname(require.resolve('@bufbuild/buf/package.json')), 'bin/buf'));
  } catch {
    // Not installed next to eventkit.
  }
  candidates.push(
    path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../node_modules/.bin/buf'),
  );
  return candidates.find((c) => existsSync(c));
}

/** The folder holding buf.yaml for a proto root: the root itself or a parent inside the project. */
function bufModuleDir(config: EventkitConfig, protoRoot: string): string | undefined {
  let dir = path.resolve(config.root, protoRoot);
  const stop = path.resolve(config.root);
  for (;;) {
    if (existsSync(path.join(dir, 'buf.yaml'))) return dir;
    if (dir === stop || path.dirname(dir) === dir) return undefined;
    dir = path.dirname(dir);
  }
}

function run(
  binary: string,
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string; error?: Error }> {
  return new Promise((resolve) => {
    execFile(
      binary,
      ['lint', '--error-format', 'json'],
      { cwd, maxBuffer: 32 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error
          ? typeof (error as { code?: unknown }).code === 'number'
            ? (error as { code: number }).code
            : 1
          : 0;
        resolve({
          code,
          stdout: String(stdout),
          stderr: String(stderr),
          ...(error && typeof (error as { code?: unknown }).code !== 'number' ? { error } : {}),
        });
      },
    );
  });
}

export async function bufLint(
  config: EventkitConfig,
  skipFiles: readonly string[] = [],
): Promise<Diagnostic[]> {
  const dirs = [
    ...new Set(config.protoRoots.map((r) => bufModuleDir(config, r)).filter((d): d is string => Boolean(d))),
  ];
  if (dirs.length === 0) return [];
  const binary = findBufBinary(config.root);
  if (!binary) {
    return [
      diagnostic('buf-unavailable', 'buf is not installed, proto files were not linted', undefined, {
        severity: 'warning',
        hint: 'npm install @bufbuild/buf, or run with --no-buf.',
      }),
    ];
  }
  const skip = new Set(skipFiles);
  const results = await Promise.all(dirs.map(async (dir) => ({ dir, result: await run(binary, dir) })));
  const out: Diagnostic[] = [];
  for (const { dir, result } of results) {
    if (result.error) {
      out.push(
        diagnostic('buf-unavailable', `buf could not run: ${result.error.message}`, undefined, {
          severity: 'warning',
        }),
      );
      continue;
    }
    let parsedAny = false;
    for (const line of result.stdout.split('\n')) {
      if (!line.trim().startsWith('{')) continue;
      let finding: BufFinding;
      try {
        finding = JSON.parse(line) as BufFinding;
      } catch {
        continue;
      }
      parsedAny = true;
      const file = finding.path
        ? relativePath(config.root, path.resolve(dir, finding.path))
        : relativePath(config.root, path.join(dir, 'buf.yaml'));
      if (skip.has(file)) continue; // eventkit already reports why that file does not parse.
      out.push(
        diagnostic(
          `buf/${finding.type ?? 'LINT'}`,
          finding.message ?? 'buf lint finding',
          location(file, finding.start_line ?? 1, finding.start_column ?? 1),
        ),
      );
    }
    if (!parsedAny && result.code !== 0) {
      const message = (result.stderr || result.stdout).trim().split('\n')[0] ?? 'buf lint failed';
      if (skip.size > 0 && /syntax error|compile|parse/i.test(message)) continue;
      out.push(
        diagnostic(
          'buf/ERROR',
          `buf lint failed: ${message}`,
          location(relativePath(config.root, path.join(dir, 'buf.yaml'))),
        ),
      );
    }
  }
  return out;
}
