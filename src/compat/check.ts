// `eventkit breaking`: compares a head project with a base (and older history for transitive modes).
// compareProjects works on loaded registries (unit-testable with hand-built ones); checkBreaking adds
// materialising refs/folders and loading them.
import fg from 'fast-glob';
import type { Diagnostic, EventkitConfig, EventModel, Registry } from '../model/types.ts';
import { diffAsyncApi } from './asyncapi-diff.ts';
import { affectedConsumers } from './consumers.ts';
import { CompatError } from './errors.ts';
import { diffJsonSchemaPayloads } from './jsonschema-payloads.ts';
import { loadPacts, type PactInteraction } from './pacts.ts';
import { bufBreaking } from './proto-buf.ts';
import { bufFindingsToChanges, protoAdditions } from './proto-changes.ts';
import { isUnstablePackage } from './registry-lookup.ts';
import { globBase, materialise, type ProjectSource, resolveSource } from './source.ts';
import type { Change, ChangeDraft, CompatReport } from './types.ts';

export interface LoadedProject {
  /** `head`, `git:main@1a2b3c4`, `dir:../old`. */
  readonly label: string;
  /** Absolute project folder (proto roots and pacts are read relative to it). */
  readonly root: string;
  readonly registry: Registry;
}

export interface CompareOptions {
  readonly head: LoadedProject;
  readonly base: LoadedProject;
  /** Older versions, used only by *_TRANSITIVE JSON Schema modes. */
  readonly history?: readonly LoadedProject[];
  /** Pact interactions to find affected consumers; default: read the head's (else base's) pact folder. */
  readonly pacts?: readonly PactInteraction[];
  /** Skip buf (registries built by hand without proto files). */
  readonly skipBuf?: boolean;
  readonly bufBin?: string;
}

export interface CompareResult {
  readonly report: CompatReport;
  /** Warnings met on the way (unreadable pact files). Never errors: those throw CompatError. */
  readonly diagnostics: readonly Diagnostic[];
  /** The two sides as loaded (`eventkit rollout` plans from them). */
  readonly head: LoadedProject;
  readonly base: LoadedProject;
  /** The pact interactions affected consumers were found with. */
  readonly pacts: readonly PactInteraction[];
}

function severityOf(draft: ChangeDraft, base: Registry): Change['severity'] {
  if (draft.class === 'non-breaking') return 'info';
  const event: EventModel | undefined = base.events.find((e) => e.type === draft.event);
  if (event !== undefined && (event.deprecated || isUnstablePackage(event.package))) return 'warning';
  // buf findings on types no event payload uses: not part of a published event contract.
  if (draft.source === 'protobuf' && draft.event === undefined) return 'warning';
  return 'error';
}

const classOrder = { breaking: 0, 'non-breaking': 1 } as const;

function compareChanges(a: Change, b: Change): number {
  const key = (c: Change) => [
    c.event ?? `~${c.stream ?? ''}`,
    String(classOrder[c.class]),
    c.location?.file ?? '',
    String(c.location?.line ?? 0).padStart(6, '0'),
    String(c.location?.column ?? 0).padStart(6, '0'),
    c.ruleId,
    c.message,
  ];
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) {
    // Code-unit order, not locale order: the output must not depend on the machine's locale.
    const x = ka[i] ?? '';
    const y = kb[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export async function compareProjects(options: CompareOptions): Promise<CompareResult> {
  const { head, base } = options;
  const history = options.history ?? [];
  const diagnostics: Diagnostic[] = [];
  const drafts: ChangeDraft[] = [...diffAsyncApi(base.registry, head.registry)];

  if (!options.skipBuf) {
    const findings = await bufBreaking({
      headRoot: head.root,
      baseRoot: base.root,
      baseLabel: base.label,
      protoRoots: head.registry.config.protoRoots,
      bufBin: options.bufBin,
    });
    drafts.push(...bufFindingsToChanges(findings, base.registry, head.registry));
  }
  drafts.push(...protoAdditions(base.registry, head.registry));

  const json = diffJsonSchemaPayloads(
    head.registry,
    { label: base.label, registry: base.registry },
    history.map((h) => ({ label: h.label, registry: h.registry })),
  );
  if (json.diagnostics.length > 0) {
    throw new CompatError('load-failed', 'invalid compatibility settings in head', {
      diagnostics: json.diagnostics,
    });
  }
  drafts.push(...json.changes);

  let pacts = options.pacts;
  if (pacts === undefined) {
    const fromHead = await loadPacts(head.root, head.registry.config.output.pacts);
    const loaded =
      fromHead.interactions.length > 0
        ? fromHead
        : await loadPacts(base.root, base.registry.config.output.pacts);
    diagnostics.push(...fromHead.diagnostics);
    pacts = loaded.interactions;
  }

  const changes = drafts
    .map(
      (draft): Change => ({
        ...draft,
        severity: severityOf(draft, base.registry),
        // Breaking changes and consumers-first changes name the consumers (who breaks / who deploys first).
        affectedConsumers:
          draft.class === 'breaking' || draft.deployOrder === 'consumers-first'
            ? affectedConsumers(draft, base.registry, head.registry, pacts)
            : [],
      }),
    )
    .sort(compareChanges);

  const breaking = changes.filter((c) => c.class === 'breaking').length;
  const errors = changes.filter((c) => c.severity === 'error').length;
  const report: CompatReport = {
    base: base.label,
    history: history.map((h) => h.label),
    head: head.label,
    changes,
    summary: {
      breaking,
      nonBreaking: changes.length - breaking,
      errors,
      warnings: changes.filter((c) => c.severity === 'warning').length,
      events: new Set(changes.map((c) => c.event).filter((e) => e !== undefined)).size,
    },
    compatible: errors === 0,
  };
  return { report, diagnostics, head, base, pacts };
}

/** Loads a project folder into a registry. eventkit's own loader (src/model) in the CLI; anything in tests. */
export type ProjectLoader = (root: string) => Promise<{
  readonly config: EventkitConfig;
  readonly registry: Registry;
  readonly diagnostics: readonly Diagnostic[];
}>;

export interface CheckBreakingOptions {
  /** The head project folder. */
  readonly cwd: string;
  /** `--against`: git ref or folder. */
  readonly against: string;
  /** `--history`: older refs or folders for transitive modes. */
  readonly history?: readonly string[];
  readonly load: ProjectLoader;
  readonly bufBin?: string;
  /** Progress lines (to stderr in the CLI). */
  readonly progress?: (line: string) => void;
}

/**
 * A base from before the project had contracts (no AsyncAPI document matches the head's globs) is an empty
 * registry, so everything in head is new, instead of a load error.
 */
async function emptyBase(
  root: string,
  label: string,
  headConfig: EventkitConfig,
): Promise<LoadedProject | undefined> {
  const documents = await fg([...headConfig.asyncapi], { cwd: root, onlyFiles: true });
  if (documents.length > 0) return undefined;
  const registry: Registry = {
    config: { ...headConfig, root },
    services: [],
    events: [],
    operations: [],
    streams: [],
    protoFiles: [],
  };
  return { label, root, registry };
}

async function loadSide(load: ProjectLoader, root: string, label: string): Promise<LoadedProject> {
  let loaded: Awaited<ReturnType<ProjectLoader>>;
  try {
    loaded = await load(root);
  } catch (cause) {
    throw new CompatError(
      'load-failed',
      `${label}: cannot load the project: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
        hint: 'fix the project configuration, then run again',
      },
    );
  }
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new CompatError('load-failed', `${label}: ${errors.length} load error(s); cannot compare`, {
      diagnostics: errors,
      hint:
        label === 'head'
          ? 'run `eventkit lint` and fix the errors'
          : `the ${label} side does not load; compare against another ref`,
    });
  }
  return { label, root, registry: loaded.registry };
}

/** Project-relative paths a base needs: config files, AsyncAPI folders, proto roots, pacts. */
function contractPaths(config: EventkitConfig): string[] {
  const paths = new Set<string>([
    'eventkit.config.json',
    'eventkit.config.yaml',
    'eventkit.config.yml',
    'eventkit.config.ts',
    ...config.asyncapi.map(globBase),
    ...config.protoRoots,
    config.output.pacts,
  ]);
  if (config.configFile !== undefined)
    paths.add(
      config.configFile
        .slice(config.root.length + 1)
        .split('\\')
        .join('/'),
    );
  return [...paths].filter((p) => p !== '' && p !== '.');
}

export async function checkBreaking(options: CheckBreakingOptions): Promise<CompareResult> {
  const progress = options.progress ?? (() => {});
  // Fail on a bad ref or folder before the slow part.
  for (const spec of [options.against, ...(options.history ?? [])]) await resolveSource(spec, options.cwd);
  progress('loading head');
  const head = await loadSide(options.load, options.cwd, 'head');
  const paths = contractPaths(head.registry.config);
  const sources: ProjectSource[] = [];
  try {
    progress(`materialising ${options.against}`);
    const baseSource = await materialise(options.against, { projectRoot: options.cwd, paths });
    sources.push(baseSource);
    const historySources: ProjectSource[] = [];
    for (const spec of options.history ?? []) {
      progress(`materialising ${spec}`);
      const s = await materialise(spec, { projectRoot: options.cwd, paths });
      sources.push(s);
      historySources.push(s);
    }
    progress(`loading ${baseSource.label}`);
    const headConfig = head.registry.config;
    const loadVersion = async (source: ProjectSource): Promise<LoadedProject> => {
      const empty = await emptyBase(source.root, source.label, headConfig);
      if (empty === undefined) return loadSide(options.load, source.root, source.label);
      // A ref from before the contracts existed is a real, empty base; a folder without documents is a
      // mistake (`dir:/`, a typo'd path) and must not report "compatible".
      if (source.label.startsWith('dir:')) {
        throw new CompatError(
          'bad-dir',
          `--against ${source.label}: ${source.root} is not an eventkit project (no AsyncAPI documents matching ${headConfig.asyncapi.join(', ')}); nothing to compare`,
          {
            hint: 'pass the folder of the project version to compare with (where its eventkit.config.json is)',
          },
        );
      }
      progress(`${source.label} has no AsyncAPI documents: every event in head is new`);
      return empty;
    };
    const base = await loadVersion(baseSource);
    const history: LoadedProject[] = [];
    for (const s of historySources) history.push(await loadVersion(s));
    progress('comparing (buf breaking, AsyncAPI, JSON Schema)');
    return await compareProjects({ head, base, history, bufBin: options.bufBin });
  } finally {
    for (const s of sources) await s.dispose();
  }
}
