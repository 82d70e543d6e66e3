// `eventkit codegen`: for every service, build the codegen input from the registry, render the template's
// files in memory (no second parse of the document, nothing on disk), format them, then either compare
// them with the committed files (--check) or swap each service's generated folder in atomically.
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { importExtensionOf } from '../model/config.ts';
import type { Registry, ServiceModel } from '../model/types.ts';
import { CodegenError } from './errors.ts';
import { formatGenerated } from './format-output.ts';
import { buildCodegenInput } from './input/build-input.ts';
import { parseProtoRoot, protoSources } from './input/proto-types.ts';
import type { CodegenInput } from './input/types.ts';
import { diffTrees, isEmptyDifference, readTree, swapFolder, type TreeDifference } from './output-tree.ts';
import { renderService } from './template/lib/render-service.js';

export interface CodegenOptions {
  /** Compare with the files on disk instead of writing. */
  readonly check?: boolean;
  /** Only these service ids (default: every service). */
  readonly services?: readonly string[];
  /**
   * Also write each service's codegen input (`<service>.input.json`) into this folder, for running the
   * template with standard AsyncAPI tooling (`-p input=<file>`).
   */
  readonly inputDir?: string;
  /** Called as each document is done (for progress output). */
  readonly onProgress?: (progress: ServiceProgress) => void;
}

export interface ServiceProgress {
  readonly service: string;
  readonly document: string;
  readonly files: number;
  readonly durationMs: number;
}

export interface ServiceResult {
  readonly service: string;
  readonly document: string;
  /** Output folder relative to the config root: `src/reference/orders/generated`. */
  readonly outputDir: string;
  readonly files: number;
  /** Difference between what is on disk and what codegen produced (before writing). */
  readonly difference: TreeDifference;
}

export interface CodegenResult {
  readonly services: readonly ServiceResult[];
  /** Files (relative to the config root) that are stale on disk: in --check mode, what fails the check. */
  readonly stale: readonly string[];
  /** Folders that were replaced (empty in --check mode). */
  readonly written: readonly string[];
  readonly durationMs: number;
}

/** Import specifiers of the runtime from a generated folder: relative inside the eventkit repo, else the package. */
function runtimeImports(root: string, outputDir: string): { index: string; api: string } {
  const runtimeDir = path.join(root, 'src', 'runtime');
  if (!existsSync(path.join(runtimeDir, 'api.ts')))
    return { index: 'eventkit/runtime', api: 'eventkit/runtime' };
  const relative = path.relative(outputDir, runtimeDir).split(path.sep).join('/');
  return { index: `${relative}/index.ts`, api: `${relative}/api.ts` };
}

function selectServices(registry: Registry, only: readonly string[] | undefined): ServiceModel[] {
  if (!only || only.length === 0) return [...registry.services];
  const unknown = only.filter((id) => !registry.services.some((service) => service.id === id));
  if (unknown.length > 0) {
    const known = registry.services.map((service) => service.id).join(', ');
    throw new CodegenError(`unknown service ${unknown.map((id) => `"${id}"`).join(', ')} (known: ${known})`, {
      kind: 'usage',
    });
  }
  return registry.services.filter((service) => only.includes(service.id));
}

/** A service's generated files, in memory, not yet compared or written. */
interface StagedService {
  readonly service: ServiceModel;
  /** Output folder relative to the config root. */
  readonly outputDir: string;
  /** What the files were rendered from (written by `--emit-input`). */
  readonly input: CodegenInput;
  /** Formatted content by path relative to the output folder. */
  readonly files: ReadonlyMap<string, Buffer>;
}

interface GenerateContext {
  readonly registry: Registry;
  readonly protoRoot: ReturnType<typeof parseProtoRoot>;
  readonly options: CodegenOptions;
}

/** Builds the service's input from the registry and renders and formats its files. */
async function generateService(context: GenerateContext, service: ServiceModel): Promise<StagedService> {
  const { registry, options } = context;
  const started = performance.now();
  const root = registry.config.root;
  const codegenDir = registry.config.output.codegen.split(path.sep).join('/');
  const outputDir = path.posix.join(codegenDir, service.id, 'generated');
  const input = buildCodegenInput(registry, service.id, {
    runtime: runtimeImports(root, path.join(root, outputDir)),
    protoRoot: context.protoRoot,
    importExtension: importExtensionOf(registry.config),
  });
  const files = new Map<string, Buffer>();
  for (const file of renderService(input))
    files.set(file.path, Buffer.from(await formatGenerated(`${outputDir}/${file.path}`, file.content)));
  options.onProgress?.({
    service: service.id,
    document: service.document.file,
    files: files.size,
    durationMs: performance.now() - started,
  });
  return { service, outputDir, input, files };
}

/** Writes the codegen inputs (for running the template with standard AsyncAPI tooling). */
async function writeInputs(services: readonly StagedService[], dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const { service, input } of services)
    await writeFile(path.join(dir, `${service.id}.input.json`), `${JSON.stringify(input, null, 2)}\n`);
}

/** Replaces the service's output folder with its new files (written beside it, then swapped by renames). */
async function writeService(root: string, staged: StagedService): Promise<void> {
  const target = path.join(root, staged.outputDir);
  // Written next to the target first: the swap must be renames inside the target's own file system.
  const beside = `${target}.new-${process.pid}`;
  await rm(beside, { recursive: true, force: true });
  try {
    for (const [file, content] of staged.files) {
      const full = path.join(beside, ...file.split('/'));
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(full, content);
    }
    await swapFolder(beside, target);
  } catch (error) {
    await rm(beside, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Generates (or checks) the code of every selected service. The registry must be free of errors.
 * Nothing is written until every service generated and formatted; then each changed folder is swapped.
 */
export async function runCodegen(registry: Registry, options: CodegenOptions = {}): Promise<CodegenResult> {
  const started = performance.now();
  const root = registry.config.root;
  const services = selectServices(registry, options.services);
  const context: GenerateContext = {
    registry,
    protoRoot: parseProtoRoot(protoSources(registry)),
    options,
  };
  const staged: StagedService[] = [];
  for (const service of services) staged.push(await generateService(context, service));
  if (options.inputDir !== undefined) await writeInputs(staged, options.inputDir);
  const results: ServiceResult[] = [];
  for (const entry of staged) {
    const next = entry.files;
    const difference = diffTrees(await readTree(path.join(root, entry.outputDir)), next);
    results.push({
      service: entry.service.id,
      document: entry.service.document.file,
      outputDir: entry.outputDir,
      files: next.size,
      difference,
    });
  }
  const stale = results.flatMap((result) =>
    [...result.difference.changed, ...result.difference.added, ...result.difference.removed].map(
      (file) => `${result.outputDir}/${file}`,
    ),
  );
  const written: string[] = [];
  if (!options.check) {
    for (const [index, entry] of staged.entries()) {
      if (isEmptyDifference((results[index] as ServiceResult).difference)) continue;
      await writeService(root, entry);
      written.push(entry.outputDir);
    }
  }
  return { services: results, stale: stale.sort(), written, durationMs: performance.now() - started };
}
