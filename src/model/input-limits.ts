// Limits on what eventkit reads, in one place: every reader of documents, protos, pacts and config asks
// here before it opens or parses a file. Input is written by other people; none of it may hang a command
// (a FIFO, a symlink loop), exhaust memory (a 50 MB pact) or overflow the stack (nesting 100,000 deep).
import { statSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';

const megabyte = 1024 * 1024;

function positiveEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The largest input file read, in bytes (`EVENTKIT_MAX_FILE_MB`, default 16). */
export function maxFileBytes(): number {
  return Math.floor(positiveEnv('EVENTKIT_MAX_FILE_MB', 16) * megabyte);
}

/** The deepest nesting of JSON/YAML values accepted (`EVENTKIT_MAX_DEPTH`, default 200). */
export function maxNestingDepth(): number {
  return Math.floor(positiveEnv('EVENTKIT_MAX_DEPTH', 200));
}

function kindOf(stats: import('node:fs').Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Why `absolutePath` must not be read as an input file (missing, not a regular file, over the size
 * limit), or undefined when it can be. Stats without opening: opening a FIFO blocks until a writer comes.
 */
export function inputFileProblem(absolutePath: string): string | undefined {
  let stats: import('node:fs').Stats;
  try {
    stats = statSync(absolutePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
  }
  if (!stats.isFile()) return `is ${kindOf(stats)}, not a regular file`;
  const limit = maxFileBytes();
  if (stats.size > limit)
    return `is ${(stats.size / megabyte).toFixed(1)} MB, over the ${(limit / megabyte).toFixed(0)} MB limit for input files (raise it with EVENTKIT_MAX_FILE_MB=<megabytes>)`;
  return undefined;
}

/** The first place where `text` (JSON or YAML flow style) nests deeper than the limit: its offset. */
export function tooDeepAt(text: string, limit = maxNestingDepth()): number | undefined {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === 92 /* \ */ && quote === '"') i++;
      else if (text[i] === quote) quote = '';
      continue;
    }
    if (c === 34 /* " */) quote = '"';
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > limit) return i;
    } else if (c === 93 || c === 125) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/** Nesting depth of a parsed value (iterative: the value may be deeper than the stack). */
export function valueDepth(value: unknown, limit = maxNestingDepth()): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const item of Array.isArray(v) ? v : Object.values(v)) stack.push([item, depth + 1]);
  }
  return deepest;
}

/**
 * The deepest nesting of arrays inside arrays accepted in AsyncAPI documents (`EVENTKIT_MAX_ARRAY_DEPTH`,
 * default 12). The AsyncAPI parser's circular-ref pass walks every array twice, so its time doubles with
 * each level: 20 nested arrays took 8 s, 40 never finished.
 */
export function maxArrayNesting(): number {
  return Math.floor(positiveEnv('EVENTKIT_MAX_ARRAY_DEPTH', 12));
}

/** The path of the first array nested inside more than `limit` arrays (iterative), or undefined. */
export function tooManyArraysAt(value: unknown, limit = maxArrayNesting()): (string | number)[] | undefined {
  const stack: [unknown, number, (string | number)[]][] = [[value, 0, []]];
  while (stack.length > 0) {
    const [v, arrays, at] = stack.pop() as [unknown, number, (string | number)[]];
    if (v === null || typeof v !== 'object') continue;
    const isArray = Array.isArray(v);
    const depth = isArray ? arrays + 1 : arrays;
    if (depth > limit) return at;
    if (isArray) for (const [i, item] of v.entries()) stack.push([item, depth, [...at, i]]);
    else for (const [key, item] of Object.entries(v)) stack.push([item, depth, [...at, key]]);
  }
  return undefined;
}

export function arrayNestingMessage(limit = maxArrayNesting()): string {
  return `nests lists more than ${limit} deep (raise the limit with EVENTKIT_MAX_ARRAY_DEPTH=<levels>)`;
}

export function nestingMessage(limit = maxNestingDepth()): string {
  return `nests deeper than ${limit} levels (raise the limit with EVENTKIT_MAX_DEPTH=<levels>)`;
}

/** True when a project-relative pattern or path leaves the project folder (`../x`, `/abs`). */
export function leavesProject(root: string, pattern: string): boolean {
  const base = fg.isDynamicPattern(pattern)
    ? pattern.split('/').filter((_part, i, parts) => !fg.isDynamicPattern(parts.slice(0, i + 1).join('/')))
    : [pattern];
  const target = path.resolve(root, base.join('/') || '.');
  const rel = path.relative(path.resolve(root), target);
  return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
}

export interface GlobOptions {
  readonly cwd: string;
  /** Also return directories (marked with a trailing `/`), for callers that report them. */
  readonly directories?: boolean;
}

/**
 * Files matching project globs. Never walks into symlinked folders (a loop under `**` would never end);
 * symlinked files and a symlinked folder named in the pattern itself still count.
 */
export async function globInputs(patterns: readonly string[], options: GlobOptions): Promise<string[]> {
  const entries = await fg([...patterns], {
    cwd: options.cwd,
    onlyFiles: false,
    markDirectories: true,
    absolute: false,
    unique: true,
    suppressErrors: true,
    followSymbolicLinks: false,
  });
  const out: string[] = [];
  for (const entry of entries) {
    if (entry.endsWith('/')) {
      if (options.directories) out.push(entry);
      continue;
    }
    let isDirectory = false;
    try {
      isDirectory = statSync(path.resolve(options.cwd, entry)).isDirectory();
    } catch {
      // a dangling symlink: the reader reports it
    }
    if (isDirectory) {
      if (options.directories) out.push(`${entry}/`);
    } else out.push(entry);
  }
  return out.sort();
}
