// `eventkit codegen`: for every service document, build the codegen input from the registry, run the
// generator template into a temp folder, format it, then either compare it with the committed files
// (--check) or swap each service's generated folder in atomically.
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { importExtensionOf } from '../model/config.ts';
import type { Registry, ServiceModel } from '../model/types.ts';
import { CodegenError } from './errors.ts';
import { formatGenerated } from './format-output.ts';
import { buildCodegenInput } from './input/build-input.ts';
import { parseProtoRoot, protoSources } from './input/proto-types.ts';
import { diffTrees, isEmptyDifference, readTree, swapFolder, type TreeDifference } from './output-tree.ts';
import { createDocumentParser, parseServiceDocument } from './parse-document.ts';
import { runGenerator } from './run-generator.ts';

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

/** A service generated into the scratch folder, not yet compared or written. */
interface StagedService {
  readonly service: ServiceModel;
  /** Output folder relative to the config root. */
  readonly outputDir: string;
  /** Where the generator wrote it. */
  readonly staged: string;
}

interface GenerateContext {
  readonly registry: Registry;
  readonly scratch: string;
  readonly protoRoot: ReturnType<typeof parseProtoRoot>;
  readonly parser: ReturnType<typeof createDocumentParser>;
  readonly options: CodegenOptions;
}

/** Builds the service's input, parses its document and runs the template into the scratch folder. */
async function generateService(context: GenerateContext, service: ServiceModel): Promise<StagedService> {
  const { registry, scratch, options } = context;
  const started = performance.now();
  const root = registry.config.root;
  const codegenDir = registry.config.output.codegen.split(path.sep).join('/');
  const outputDir = path.posix.join(codegenDir, service.id, 'generated');
  const input = buildCodegenInput(registry, service.id, {
    runtime: runtimeImports(root, path.join(root, outputDir)),
    protoRoot: context.protoRoot,
    importExtension: importExtensionOf(registry.config),
  });
  const inputFile = path.join(scratch, `${service.id}.input.json`);
  await writeFile(inputFile, `${JSON.stringify(input, null, 2)}\n`);
  if (options.inputDir !== undefined) {
    await mkdir(options.inputDir, { recursive: true });
    await cp(inputFile, path.join(options.inputDir, `${service.id}.input.json`));
  }
  const document = await parseServiceDocument(registry, service, context.parser);
  const staged = path.join(scratch, 'out', service.id);
  await runGenerator(document, staged, inputFile);
  options.onProgress?.({
    service: service.id,
    document: service.document.file,
    files: (await readTree(staged)).size,
    durationMs: performance.now() - started,
  });
  return { service, outputDir, staged };
}

/** Replaces the service's output folder with the staged one (renames only, next to the target). */
async function writeService(root: string, staged: StagedService): Promise<void> {
  const target = path.join(root, staged.outputDir);
  // Copied next to the target first: the swap must be renames inside the target's own file system.
  const beside = `${target}.new-${process.pid}`;
  await rm(beside, { recursive: true, force: true });
  await cp(staged.staged, beside, { recursive: true });
  await swapFolder(beside, target);
}

/**
 * Generates (or checks) the code of every selected service. The registry must be free of errors.
 * Nothing is written until every service generated and formatted; then each changed folder is swapped.
 */
export async function runCodegen(registry: Registry, options: CodegenOptions = {}): Promise<CodegenResult> {
  const started = performance.now();
  const root = registry.config.root;
  const services = selectServices(registry, options.services);
  const scratchRoot = path.join(root, '.eventkit');
  await mkdir(scratchRoot, { recursive: true });
  const scratch = await mkdtemp(path.join(scratchRoot, 'codegen-'));
  try {
    const context: GenerateContext = {
      registry,
      scratch,
      protoRoot: parseProtoRoot(protoSources(registry)),
      parser: createDocumentParser(registry),
      options,
    };
    const staged: StagedService[] = [];
    for (const service of services) staged.push(await generateService(context, service));
    await formatGenerated(path.join(scratch, 'out'));

    const results: ServiceResult[] = [];
    for (const entry of staged) {
      const next = await readTree(entry.staged);
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
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
