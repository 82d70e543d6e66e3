// `eventkit init [dir]`: a working project for one service — config, buf.yaml, the service's AsyncAPI
// document with an event it sends and consumes, its proto, package.json scripts, tsconfig, .gitignore,
// a runnable main module and a provider contract skeleton. Never overwrites; no prompts.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { pascalIdent } from '../codegen/input/naming.ts';
import { addEventToDocument } from './asyncapi-edit.ts';
import { ScaffoldError } from './errors.ts';
import { eventNames } from './event-name.ts';
import { type PlannedFile, writeAll } from './files.ts';
import { addEventToProto, examplePayload, newProtoFile } from './proto-edit.ts';
import * as template from './templates.ts';

export interface InitOptions {
  /** Service id (default: the folder name in lower case letters and digits). */
  readonly service?: string;
  /** eventkit's version, for the dependency of a new package.json. */
  readonly eventkitVersion: string;
}

export interface InitResult {
  readonly root: string;
  readonly service: string;
  /** The event the service sends and consumes. */
  readonly event: string;
  readonly files: readonly { readonly path: string; readonly action: 'created' | 'updated' }[];
  /** package.json scripts that existed and were left as they were. */
  readonly keptScripts: readonly string[];
}

/** `My Shop-API` → `myshopapi`: a service id usable as context and proto package. */
export function serviceIdFrom(folder: string): string {
  const id = folder
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/^[0-9]+/, '');
  return id === '' ? 'app' : id;
}

function mergedPackageJson(
  root: string,
  service: string,
  version: string,
): { file: PlannedFile; kept: string[] } {
  const file = path.join(root, 'package.json');
  const scripts = template.packageScripts(service);
  if (!existsSync(file)) {
    const created = {
      name:
        path
          .basename(root)
          .toLowerCase()
          .replace(/[^a-z0-9-]/g, '-') || service,
      version: '0.1.0',
      private: true,
      type: 'module',
      scripts,
      dependencies: { eventkit: `^${version}` },
    };
    return {
      file: { path: 'package.json', content: `${JSON.stringify(created, null, 2)}\n`, mode: 'create' },
      kept: [],
    };
  }
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new ScaffoldError(`package.json is not valid JSON: ${(error as Error).message}`, {
      kind: 'bad-input',
      file: 'package.json',
    });
  }
  if (value.type === 'commonjs')
    throw new ScaffoldError(
      'package.json says "type": "commonjs"; eventkit projects are ES modules ("type": "module")',
      {
        kind: 'bad-input',
        file: 'package.json',
      },
    );
  const existing = (value.scripts ?? {}) as Record<string, string>;
  const kept = Object.keys(scripts).filter((name) => name in existing);
  const merged = { ...value, type: 'module', scripts: { ...scripts, ...existing } };
  return {
    file: { path: 'package.json', content: `${JSON.stringify(merged, null, 2)}\n`, mode: 'update' },
    kept,
  };
}

function mergedGitignore(root: string): PlannedFile | undefined {
  const file = path.join(root, '.gitignore');
  if (!existsSync(file)) return { path: '.gitignore', content: template.gitignore, mode: 'create' };
  const text = readFileSync(file, 'utf8');
  const present = new Set(text.split('\n').map((line) => line.trim()));
  const missing = template.gitignore
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#') && !present.has(line.trim()));
  if (missing.length === 0) return undefined;
  return {
    path: '.gitignore',
    content: `${text.replace(/\n*$/, '\n')}${missing.join('\n')}\n`,
    mode: 'update',
  };
}

/** Scaffolds the project in `dir` (created when missing). */
export async function initProject(dir: string, options: InitOptions): Promise<InitResult> {
  const root = path.resolve(dir);
  const service = options.service ?? serviceIdFrom(path.basename(root));
  if (!/^[a-z][a-z0-9]*$/.test(service))
    throw new ScaffoldError(
      `"${service}" is not a service id: use lower case letters and digits, starting with a letter`,
      {
        kind: 'bad-input',
      },
    );
  const names = eventNames(`${service}.v1.ItemCreated`, 'item_id');
  const documentFile = `asyncapi/${service}.yaml`;
  const doc = parseDocument(template.asyncapiSkeleton(service));
  addEventToDocument(doc, names, {
    service,
    stream: service.toUpperCase(),
    send: true,
    receive: true,
    example: examplePayload(names),
    file: documentFile,
  });
  const protoPath = `contracts/proto/${names.protoFile}`;
  const proto = addEventToProto(
    newProtoFile(
      names,
      `Integration events of the ${service} context. A breaking change is a new package (${service}.v2).`,
    ),
    names,
    protoPath,
  );
  const pascal = pascalIdent(service);
  const packageJson = mergedPackageJson(root, service, options.eventkitVersion);
  const gitignore = mergedGitignore(root);
  const files: PlannedFile[] = [
    { path: 'eventkit.config.json', content: template.config, mode: 'create' },
    { path: 'contracts/proto/buf.yaml', content: template.bufYaml, mode: 'create' },
    { path: protoPath, content: proto, mode: 'create' },
    { path: documentFile, content: doc.toString({ lineWidth: 0 }), mode: 'create' },
    { path: 'tsconfig.json', content: template.tsconfig, mode: 'create' },
    { path: `src/${service}/main.ts`, content: template.mainModule(service, pascal), mode: 'create' },
    { path: `src/${service}/items.ts`, content: template.itemsModule(service), mode: 'create' },
    {
      path: `test/contracts/${service}.provider.ts`,
      content: template.providerModule(service),
      mode: 'create',
    },
    packageJson.file,
    ...(gitignore ? [gitignore] : []),
  ];
  await mkdir(root, { recursive: true });
  await writeAll(root, files);
  return {
    root,
    service,
    event: names.type,
    files: files.map((f) => ({ path: f.path, action: f.mode === 'create' ? 'created' : 'updated' })),
    keptScripts: packageJson.kept,
  };
}
