// Finds and reads `eventkit.config.json` (or `eventkit.config.ts`), applies defaults, reports problems as data.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { diagnostic, lineColumnAt, location, relativePath } from './diagnostics.ts';
import { inputFileProblem, leavesProject, nestingMessage, tooDeepAt } from './input-limits.ts';
import { parseYamlSource, type YamlSource } from './source-map.ts';
import type { Diagnostic, EventkitConfig, ImportExtension, RuleSetting } from './types.ts';

export const configFileNames = ['eventkit.config.json', 'eventkit.config.ts'] as const;

export interface ConfigResult {
  readonly config: EventkitConfig;
  /** `config-invalid` problems (or `file-unreadable` when `cwd` is not a folder); the config holds defaults for everything that could not be read. */
  readonly diagnostics: readonly Diagnostic[];
}

export const defaultConfigValues = {
  asyncapi: ['asyncapi/*.{yaml,yml,json}'],
  protoRoots: ['contracts/proto'],
  output: {
    codegen: 'src/reference',
    catalog: 'dist/catalog',
    pacts: 'contracts/pacts',
    results: 'contracts/verification-results.json',
  },
  conventions: { subjects: true, cloudEvents: true },
  bufLint: true,
  codegen: { importExtension: '.js' },
  // Anywhere in the project (node_modules and build output excluded, see providerGlobIgnore).
  contracts: { providers: ['**/*.provider.{ts,mts,js,mjs}'] },
} as const;

/** Never searched for provider modules: installed packages and build output. */
export const providerGlobIgnore: readonly string[] = ['**/node_modules/**', '**/dist/**', '**/.git/**'];
const importExtensions: readonly ImportExtension[] = ['.js', '.ts'];

/** The extension of relative imports in generated code (`codegen.importExtension`, default `.js`). */
export function importExtensionOf(config: EventkitConfig): ImportExtension {
  return config.codegen?.importExtension ?? defaultConfigValues.codegen.importExtension;
}

/** The provider contract module globs (`contracts.providers`, default every `*.provider.*` file). */
export function providerGlobsOf(config: EventkitConfig): readonly string[] {
  return config.contracts?.providers ?? defaultConfigValues.contracts.providers;
}

/** The config used when there is no config file: defaults rooted at `root`. */
export function defaultConfig(
  root: string,
  overrides: Partial<Omit<EventkitConfig, 'root'>> = {},
): EventkitConfig {
  return {
    root: path.resolve(root),
    asyncapi: [...defaultConfigValues.asyncapi],
    protoRoots: [...defaultConfigValues.protoRoots],
    output: { ...defaultConfigValues.output },
    conventions: { ...defaultConfigValues.conventions },
    rules: {},
    bufLint: defaultConfigValues.bufLint,
    codegen: { ...defaultConfigValues.codegen },
    contracts: { providers: [...defaultConfigValues.contracts.providers] },
    ...overrides,
  };
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Walks up from `cwd` to the first folder holding an eventkit config file. */
export function findConfigFile(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of configFileNames) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Finds the config walking up from `cwd`; without one, defaults rooted at `cwd`. Never throws for user input. */
export async function loadConfig(cwd: string): Promise<ConfigResult> {
  if (!isDirectory(cwd)) {
    return {
      config: defaultConfig(cwd),
      diagnostics: [
        diagnostic('file-unreadable', `project folder ${cwd} does not exist or is not a folder`, undefined, {
          hint: 'Pass an existing folder with -C / --cwd.',
        }),
      ],
    };
  }
  const file = findConfigFile(cwd);
  if (!file) return { config: defaultConfig(cwd), diagnostics: [] };
  const root = path.dirname(file);
  const rel = relativePath(root, file);
  const invalid = (message: string, line = 1, column = 1, hint?: string): ConfigResult => ({
    config: { ...defaultConfig(root), configFile: file },
    diagnostics: [diagnostic('config-invalid', message, location(rel, line, column), hint ? { hint } : {})],
  });
  if (statSync(file).isDirectory()) return invalid(`${rel} is a directory, expected a file`);
  if (file.endsWith('.ts')) {
    try {
      const module = (await import(pathToFileURL(file).href)) as { default?: unknown; config?: unknown };
      const value = module.default ?? module.config;
      return validateConfig(value, root, file, undefined);
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return invalid(
        `cannot load ${rel}: ${message}`,
        1,
        1,
        'Export the config object as the default export.',
      );
    }
  }
  const problem = inputFileProblem(file);
  if (problem) return invalid(`${rel} ${problem}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return invalid(`cannot read ${rel}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const tooDeep = tooDeepAt(text);
  if (tooDeep !== undefined) {
    const pos = lineColumnAt(text, tooDeep);
    return invalid(`${rel} ${nestingMessage()}`, pos.line, pos.column);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /at position (\d+)/.exec(message);
    let offset = at ? Number(at[1]) : text.length;
    // After a trailing comma JSON.parse complains about the next token; the comma is the mistake.
    if (/property name|Unexpected token/.test(message)) {
      let back = offset - 1;
      while (back >= 0 && /\s/.test(text[back] ?? '')) back--;
      if (text[back] === ',') offset = back;
    }
    const pos = lineColumnAt(text, offset);
    return invalid(
      `${rel} is not valid JSON: ${message}`,
      pos.line,
      pos.column,
      'Fix the JSON syntax (no comments, no trailing commas).',
    );
  }
  // Positions are only needed for a problem: parsing a large config for them up front is most of the time.
  let source: YamlSource | undefined;
  const lazy: YamlSource = {
    value,
    errors: [],
    locate: (pointer) => {
      source ??= parseYamlSource(text);
      return source.locate(pointer);
    },
  };
  return validateConfig(value, root, file, lazy);
}

const topLevelKeys = [
  '$schema',
  'asyncapi',
  'protoRoots',
  'output',
  'conventions',
  'rules',
  'bufLint',
  'allowOutsideProject',
  'codegen',
  'contracts',
];
const outputKeys = Object.keys(defaultConfigValues.output);
const conventionKeys = Object.keys(defaultConfigValues.conventions);
const ruleSettings: readonly RuleSetting[] = ['error', 'warning', 'off'];

/** Checks a config value (from JSON or a .ts module) and merges it over the defaults. */
export function validateConfig(
  value: unknown,
  root: string,
  file: string | undefined,
  source: YamlSource | undefined,
): ConfigResult {
  const rel = file ? relativePath(root, file) : 'eventkit.config.json';
  const diagnostics: Diagnostic[] = [];
  const at = (pointer: string) => {
    const pos = source?.locate(pointer) ?? { line: 1, column: 1 };
    return location(rel, pos.line, pos.column, pointer);
  };
  const report = (pointer: string, message: string, hint?: string) =>
    diagnostics.push(diagnostic('config-invalid', message, at(pointer), hint ? { hint } : {}));
  const base = defaultConfig(root, file ? { configFile: file } : {});
  if (!isObject(value)) {
    report('', `${rel} must contain a JSON object`);
    return { config: base, diagnostics };
  }
  for (const key of Object.keys(value)) {
    if (!topLevelKeys.includes(key))
      report(`/${key}`, `unknown config key "${key}"`, `Known keys: ${topLevelKeys.slice(1).join(', ')}.`);
  }
  const stringList = (key: 'asyncapi' | 'protoRoots'): string[] => {
    const v = value[key];
    if (v === undefined) return [...defaultConfigValues[key]];
    // One glob may be given as a string; an empty one is no glob (fast-glob throws on it).
    if (typeof v === 'string' && v.trim().length > 0) return [v];
    if (Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s.length > 0))
      return v as string[];
    report(`/${key}`, `"${key}" must be a non-empty list of strings`);
    return [...defaultConfigValues[key]];
  };
  const asyncapi = stringList('asyncapi');
  const protoRoots = stringList('protoRoots');
  const output: Record<string, string> = { ...defaultConfigValues.output };
  if (value.output !== undefined) {
    if (!isObject(value.output)) report('/output', '"output" must be an object');
    else
      for (const [k, v] of Object.entries(value.output)) {
        if (!outputKeys.includes(k))
          report(`/output/${k}`, `unknown output key "${k}"`, `Known keys: ${outputKeys.join(', ')}.`);
        else if (typeof v !== 'string' || v === '')
          report(`/output/${k}`, `"output.${k}" must be a non-empty string`);
        else output[k] = v;
      }
  }
  const conventions: Record<string, boolean> = { ...defaultConfigValues.conventions };
  if (value.conventions !== undefined) {
    if (typeof value.conventions === 'boolean') {
      for (const k of conventionKeys) conventions[k] = value.conventions;
    } else if (!isObject(value.conventions))
      report('/conventions', '"conventions" must be an object or a boolean');
    else
      for (const [k, v] of Object.entries(value.conventions)) {
        if (!conventionKeys.includes(k))
          report(
            `/conventions/${k}`,
            `unknown conventions key "${k}"`,
            `Known keys: ${conventionKeys.join(', ')}.`,
          );
        else if (typeof v !== 'boolean')
          report(`/conventions/${k}`, `"conventions.${k}" must be true or false`);
        else conventions[k] = v;
      }
  }
  const rules: Record<string, RuleSetting> = {};
  if (value.rules !== undefined) {
    if (!isObject(value.rules))
      report('/rules', '"rules" must be an object of rule id → "error" | "warning" | "off"');
    else
      for (const [k, v] of Object.entries(value.rules)) {
        if (typeof v === 'string' && (ruleSettings as readonly string[]).includes(v))
          rules[k] = v as RuleSetting;
        else report(`/rules/${k}`, `rule "${k}" must be set to "error", "warning" or "off"`);
      }
  }
  let bufLint: boolean = defaultConfigValues.bufLint;
  if (value.bufLint !== undefined) {
    if (typeof value.bufLint !== 'boolean') report('/bufLint', '"bufLint" must be true or false');
    else bufLint = value.bufLint;
  }
  let allowOutsideProject = false;
  if (value.allowOutsideProject !== undefined) {
    if (typeof value.allowOutsideProject !== 'boolean')
      report('/allowOutsideProject', '"allowOutsideProject" must be true or false');
    else allowOutsideProject = value.allowOutsideProject;
  }
  if (!allowOutsideProject) {
    const outside = (pointer: string, what: string) =>
      report(
        pointer,
        `${what} leaves the project folder`,
        'Keep it inside the project, or set "allowOutsideProject": true to allow it.',
      );
    for (const [k, v] of Object.entries(output))
      if (leavesProject(root, v)) outside(`/output/${k}`, `"output.${k}": "${v}"`);
    asyncapi.forEach((v, i) => {
      if (leavesProject(root, v)) outside(`/asyncapi/${i}`, `document glob "${v}"`);
    });
    protoRoots.forEach((v, i) => {
      if (leavesProject(root, v)) outside(`/protoRoots/${i}`, `proto root "${v}"`);
    });
  }
  const codegen = { importExtension: importExtensionOf(base) };
  if (value.codegen !== undefined) {
    if (!isObject(value.codegen)) report('/codegen', '"codegen" must be an object');
    else
      for (const [k, v] of Object.entries(value.codegen)) {
        if (k !== 'importExtension')
          report(`/codegen/${k}`, `unknown codegen key "${k}"`, 'Known keys: importExtension.');
        else if (!(importExtensions as readonly unknown[]).includes(v))
          report(
            '/codegen/importExtension',
            '"codegen.importExtension" must be ".js" or ".ts"',
            '".js" for plain tsc (NodeNext) and node; ".ts" for tsx, bundlers or Node\'s type stripping.',
          );
        else codegen.importExtension = v as ImportExtension;
      }
  }
  let providers = providerGlobsOf(base);
  if (value.contracts !== undefined) {
    if (!isObject(value.contracts)) report('/contracts', '"contracts" must be an object');
    else
      for (const [k, v] of Object.entries(value.contracts)) {
        if (k !== 'providers')
          report(`/contracts/${k}`, `unknown contracts key "${k}"`, 'Known keys: providers.');
        else if (typeof v === 'string' && v !== '') providers = [v];
        else if (Array.isArray(v) && v.length > 0 && v.every((g) => typeof g === 'string' && g !== ''))
          providers = v as string[];
        else report('/contracts/providers', '"contracts.providers" must be a non-empty list of globs');
      }
  }
  const config: EventkitConfig = {
    ...base,
    ...(allowOutsideProject ? { allowOutsideProject } : {}),
    codegen,
    contracts: { providers },
    asyncapi,
    protoRoots,
    output: output as unknown as EventkitConfig['output'],
    conventions: conventions as unknown as EventkitConfig['conventions'],
    rules,
    bufLint,
  };
  return { config, diagnostics };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
