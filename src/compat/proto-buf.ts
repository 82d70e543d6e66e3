// Runs `buf breaking` (WIRE_JSON rules) over the proto roots of head against base.
// Both trees are copied into one scratch workspace with a buf.yaml of our own, so the project's buf.yaml
// cannot swap the rule set or pull remote deps (there is no network in CI), and several proto roots that
// import each other still compile as one workspace.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fg from 'fast-glob';
import { parse as parseYaml } from 'yaml';
import { CompatError } from './errors.ts';

export interface BufFinding {
  /** Rule id without prefix, e.g. `FIELD_SAME_JSON_NAME`. */
  readonly rule: string;
  readonly message: string;
  /** Path relative to the head project root, e.g. `contracts/proto/orders/v1/events.proto`. */
  readonly file: string;
  /** The proto root the file belongs to (relative), e.g. `contracts/proto`. */
  readonly protoRoot: string;
  /** Package-relative path of the file, e.g. `orders/v1/events.proto`. */
  readonly importPath: string;
  readonly line: number;
  readonly column: number;
}

export interface BufBreakingOptions {
  readonly headRoot: string;
  readonly baseRoot: string;
  /** Label of the base for messages (`git:main`). */
  readonly baseLabel: string;
  /** Proto roots relative to both project roots. */
  readonly protoRoots: readonly string[];
  /** Override the buf executable (tests, unusual installs). */
  readonly bufBin?: string;
}

interface BufJsonLine {
  path?: string;
  start_line?: number;
  start_column?: number;
  type?: string;
  message?: string;
}

/** `node_modules/.bin/buf` of the project, else of eventkit's own install, else `buf` on PATH. */
export function findBuf(projectRoot: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const start of [projectRoot, here]) {
    let dir = path.resolve(start);
    for (;;) {
      const candidate = path.join(dir, 'node_modules', '.bin', 'buf');
      if (existsSync(candidate)) return candidate;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return 'buf';
}

/** Breaking settings carried over from the head's `<root>/buf.yaml`: rules to skip and paths to ignore. */
async function readProjectBreakingSettings(rootDir: string): Promise<{ except: string[]; ignore: string[] }> {
  const file = path.join(rootDir, 'buf.yaml');
  if (!existsSync(file)) return { except: [], ignore: [] };
  try {
    const doc = parseYaml(await readFile(file, 'utf8')) as {
      breaking?: { except?: unknown; ignore?: unknown };
    } | null;
    const strings = (v: unknown) =>
      Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    return { except: strings(doc?.breaking?.except), ignore: strings(doc?.breaking?.ignore) };
  } catch (cause) {
    throw new CompatError('buf-failed', `${file}: not valid YAML`, {
      cause,
      hint: 'fix the buf.yaml syntax',
    });
  }
}

async function copyProtos(from: string, to: string): Promise<number> {
  const files = await fg('**/*.proto', { cwd: from, dot: false, onlyFiles: true });
  for (const rel of files) {
    await mkdir(path.dirname(path.join(to, rel)), { recursive: true });
    await copyFile(path.join(from, rel), path.join(to, rel));
  }
  return files.length;
}

function workspaceYaml(
  moduleDirs: readonly string[],
  except: readonly string[],
  ignore: readonly string[],
): string {
  const lines = ['version: v2', 'modules:'];
  for (const dir of moduleDirs) lines.push(`  - path: ${dir}`);
  lines.push('breaking:', '  use:', '    - WIRE_JSON');
  if (except.length > 0) {
    lines.push('  except:');
    for (const rule of except) lines.push(`    - ${rule}`);
  }
  if (ignore.length > 0) {
    lines.push('  ignore:');
    for (const p of ignore) lines.push(`    - ${p}`);
  }
  return `${lines.join('\n')}\n`;
}

function run(
  bin: string,
  args: readonly string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', (cause) =>
      reject(
        new CompatError('buf-failed', `cannot run buf (${bin})`, {
          cause,
          hint: 'run `npm install` so node_modules/.bin/buf (@bufbuild/buf 1.74.0) exists',
        }),
      ),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Runs buf breaking; returns its findings with head-relative locations. Compile errors become a CompatError. */
export async function bufBreaking(options: BufBreakingOptions): Promise<BufFinding[]> {
  const roots = options.protoRoots.filter(
    (r) => existsSync(path.join(options.headRoot, r)) && existsSync(path.join(options.baseRoot, r)),
  );
  if (roots.length === 0) return [];
  const scratch = await mkdtemp(path.join(tmpdir(), 'eventkit-buf-'));
  try {
    const moduleDirs: string[] = [];
    const except = new Set<string>();
    const ignore: string[] = [];
    for (const [index, root] of roots.entries()) {
      const dir = `r${index}`;
      const headCount = await copyProtos(path.join(options.headRoot, root), path.join(scratch, 'head', dir));
      const baseCount = await copyProtos(path.join(options.baseRoot, root), path.join(scratch, 'base', dir));
      if (headCount === 0 || baseCount === 0) continue;
      moduleDirs.push(dir);
      const settings = await readProjectBreakingSettings(path.join(options.headRoot, root));
      for (const rule of settings.except) except.add(rule);
      for (const p of settings.ignore) ignore.push(`${dir}/${p}`);
    }
    if (moduleDirs.length === 0) return [];
    for (const side of ['head', 'base']) {
      await writeFile(
        path.join(scratch, side, 'buf.yaml'),
        workspaceYaml(moduleDirs, [...except].sort(), ignore),
      );
    }
    const bin = options.bufBin ?? findBuf(options.headRoot);
    const result = await run(
      bin,
      ['breaking', 'head', '--against', 'base', '--error-format', 'json'],
      scratch,
    );
    if (result.code !== 0 && result.code !== 100) {
      throw new CompatError(
        'buf-failed',
        `buf breaking failed (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}`,
        {
          hint: 'check that the proto files of both sides compile (`npx buf build <proto root>`)',
        },
      );
    }
    const findings: BufFinding[] = [];
    const compileErrors: string[] = [];
    for (const line of result.stdout.split('\n')) {
      if (line.trim() === '') continue;
      let parsed: BufJsonLine;
      try {
        parsed = JSON.parse(line) as BufJsonLine;
      } catch {
        compileErrors.push(line.trim());
        continue;
      }
      const [side, dir, ...rest] = (parsed.path ?? '').split('/');
      const root = roots[Number((dir ?? 'r0').slice(1))] ?? roots[0] ?? '';
      const importPath = rest.join('/');
      const file = path.posix.join(root.split(path.sep).join('/'), importPath);
      const where = `${side === 'base' ? `${options.baseLabel}:` : ''}${file}:${parsed.start_line ?? 1}:${parsed.start_column ?? 1}`;
      if (parsed.type === 'COMPILE' || side === 'base') {
        compileErrors.push(`${where}: ${parsed.message ?? 'does not compile'}`);
        continue;
      }
      findings.push({
        rule: parsed.type ?? 'UNKNOWN',
        message: parsed.message ?? '',
        file,
        protoRoot: root,
        importPath,
        line: parsed.start_line ?? 1,
        column: parsed.start_column ?? 1,
      });
    }
    if (compileErrors.length > 0) {
      throw new CompatError('buf-failed', `proto files do not compile:\n  ${compileErrors.join('\n  ')}`, {
        hint: 'fix the proto files named above, then run eventkit breaking again',
      });
    }
    return findings;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
