// Reading, checking and normalising Pact V4 message pact files (the subset eventkit writes and reads).
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { replaceFileAtomically } from '../atomic-write.ts';
import { inputFileProblem } from '../model/input-limits.ts';
import { ContractsError, isContractsError } from './errors.ts';
import { type JsonSource, parseJsonSource, stableJson } from './json-source.ts';
import { normalisePactDocument } from './pact-reader.ts';

export interface PactProviderState {
  readonly name: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

export interface PactMatchingRule {
  readonly match: string;
  readonly regex?: string;
  readonly min?: number;
  readonly max?: number;
}

export type PactMatchingRules = Readonly<
  Record<
    string,
    Readonly<Record<string, { readonly combine?: string; readonly matchers: readonly PactMatchingRule[] }>>
  >
>;

/** One `Asynchronous/Messages` interaction: a message the consumer expects to receive. */
export interface PactMessageInteraction {
  readonly type: 'Asynchronous/Messages';
  readonly description: string;
  readonly providerStates?: readonly PactProviderState[];
  readonly contents: { readonly content: unknown; readonly contentType?: string; readonly encoded?: unknown };
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly matchingRules?: PactMatchingRules;
  readonly pending?: boolean;
}

export interface PactFile {
  readonly consumer: { readonly name: string };
  readonly provider: { readonly name: string };
  readonly interactions: readonly PactMessageInteraction[];
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** A pact file read from disk, with enough source information for `file:line` diagnostics. */
export interface LoadedPact {
  /** Path relative to the project root (posix). */
  readonly file: string;
  readonly absolutePath: string;
  readonly pact: PactFile;
  /** sha256 of the normalised content: identifies this exact contract in the results matrix. */
  readonly sha256: string;
  /** 1-based line of interaction `index` in the file. */
  interactionLine(index: number, ...within: (string | number)[]): number;
  /** 1-based line of any path in the file, e.g. `['consumer', 'name']`. */
  lineOf(path: readonly (string | number)[]): number;
}

/** The event type an interaction is about: its `ce-type` metadata. */
export function interactionEventType(interaction: PactMessageInteraction): string | undefined {
  const value = interaction.metadata['ce-type'];
  return typeof value === 'string' ? value : undefined;
}

/** The example subject of an interaction (its `subject` metadata). */
export function interactionSubject(interaction: PactMessageInteraction): string | undefined {
  const value = interaction.metadata.subject;
  return typeof value === 'string' ? value : undefined;
}

/** `<consumer>-<provider>.json`, the file name pact-js writes. */
export function pactFileName(consumer: string, provider: string): string {
  return `${consumer}-${provider}.json`;
}

/** Pact files (`*.json`) in `dir`, sorted; none when the folder does not exist. */
export async function listPactFiles(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ContractsError('pact-unreadable', `cannot list pact folder: ${(error as Error).message}`, {
      file: dir,
      cause: error,
    });
  }
  return entries
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => path.join(dir, name));
}

/** Reads one pact file as text (size checked); throws a ContractsError naming the file. */
async function readPactText(absolutePath: string, root: string): Promise<{ file: string; text: string }> {
  const file = path.relative(root, absolutePath).split(path.sep).join('/');
  const problem = inputFileProblem(absolutePath);
  if (problem) throw new ContractsError('pact-unreadable', `the pact file ${problem}`, { file });
  try {
    return { file, text: await readFile(absolutePath, 'utf8') };
  } catch (error) {
    throw new ContractsError('pact-unreadable', `cannot read pact file: ${(error as Error).message}`, {
      file,
      cause: error,
    });
  }
}

function parsePactJson(text: string, file: string): JsonSource {
  try {
    return parseJsonSource(text);
  } catch (error) {
    throw new ContractsError('pact-malformed', `pact file is not valid JSON: ${(error as Error).message}`, {
      file,
      line: (error as { line?: number }).line,
      cause: error,
      hint: 'regenerate it with the consumer contract tests (npm run contracts)',
    });
  }
}

/** Reads and checks one pact file; throws a ContractsError naming the file and line on anything malformed. */
export async function readPactFile(absolutePath: string, root: string): Promise<LoadedPact> {
  const { file, text } = await readPactText(absolutePath, root);
  return parsePactText(text, file, absolutePath);
}

/**
 * Reads one pact file as JSON without the checks of eventkit's own pacts (for readers that take any pact
 * shape through `pactMessages`); throws a ContractsError naming the file and line when it is not JSON.
 */
export async function readPactDocument(
  absolutePath: string,
  root: string,
): Promise<{ file: string; value: unknown }> {
  const { file, text } = await readPactText(absolutePath, root);
  return { file, value: parsePactJson(text, file).value };
}

export function parsePactText(text: string, file: string, absolutePath: string = file): LoadedPact {
  const source = parsePactJson(text, file);
  // V3 message pacts (`messages[]`) are read as V4 interactions; lines still point into the file as written.
  const raw = source.value as { interactions?: unknown; messages?: unknown };
  const v4Count = Array.isArray(raw?.interactions) ? raw.interactions.length : 0;
  const hasV3 = Array.isArray(raw?.messages);
  const v3Map: Record<string, string> = { content: 'contents', metadata: 'metaData' };
  const lineOf = (at: readonly (string | number)[]): number => {
    if (hasV3 && at[0] === 'interactions' && typeof at[1] === 'number' && at[1] >= v4Count) {
      const [, index, first, ...rest] = at as [string, number, ...(string | number)[]];
      const inner = first === 'contents' ? rest.slice(rest[0] === 'content' ? 1 : 0) : rest;
      const key = first === 'contents' ? 'contents' : first === 'metadata' ? v3Map.metadata : first;
      return source.lineOf(['messages', index - v4Count, ...(key === undefined ? [] : [key]), ...inner]);
    }
    return source.lineOf(at);
  };
  const pact = checkPactShape({ value: normalisePactDocument(source.value), lineOf }, file);
  return {
    file,
    absolutePath,
    pact,
    sha256: createHash('sha256').update(normalisedPactText(pact)).digest('hex'),
    interactionLine: (index, ...within) => lineOf(['interactions', index, ...within]),
    lineOf,
  };
}

function checkPactShape(
  source: Pick<JsonSource, 'value'> & { lineOf(at: readonly (string | number)[]): number },
  file: string,
): PactFile {
  const fail = (
    message: string,
    at: (string | number)[],
    hint = 'pact files are written by the consumer contract tests; regenerate it (npm run contracts)',
  ): never => {
    throw new ContractsError('pact-malformed', message, { file, line: source.lineOf(at), hint });
  };
  const value = source.value;
  if (!isObject(value)) return fail('a pact file must be a JSON object', []);
  for (const side of ['consumer', 'provider'] as const) {
    const participant = value[side];
    if (!isObject(participant) || typeof participant.name !== 'string' || participant.name === '') {
      fail(`missing "${side}.name"`, [side]);
    }
  }
  // Message pacts exist from specification 3; 1.x and 2.x files are HTTP-only (and the verifier spent
  // minutes on one before failing). Read the version where pact-js (V3) and pact-jvm (V4) write it.
  const specification = isObject(value.metadata)
    ? ((isObject(value.metadata.pactSpecification) ? value.metadata.pactSpecification.version : undefined) ??
      (isObject(value.metadata['pact-specification'])
        ? value.metadata['pact-specification'].version
        : undefined))
    : undefined;
  if (specification !== undefined) {
    const major = typeof specification === 'string' ? Number(/^(\d+)/.exec(specification)?.[1]) : Number.NaN;
    if (!(major >= 3))
      fail(
        `pact specification ${JSON.stringify(specification)} is not supported: message pacts are specification 3.0.0 or later`,
        ['metadata'],
      );
  }
  if (!Array.isArray(value.interactions))
    return fail('missing "interactions" array (V4) or "messages" array (V3 message pact)', ['interactions']);
  value.interactions.forEach((interaction: unknown, index: number) => {
    const at = ['interactions', index];
    if (!isObject(interaction)) {
      fail(`interaction ${index} is not an object`, at);
      return;
    }
    if (typeof interaction.type === 'string' && interaction.type.startsWith('Synchronous/')) {
      // A V4 pact may mix HTTP and message interactions; the message verifier cannot verify HTTP ones, so
      // the file is refused as a whole, saying so, rather than half-checked.
      fail(
        `interaction ${index} ("${String(interaction.description)}") is a ${JSON.stringify(interaction.type)} interaction: eventkit checks and verifies message pacts ("Asynchronous/Messages") only, and this file mixes both`,
        [...at, 'type'],
        'write the HTTP interactions to a pact of their own (a separate PactV4 for the HTTP provider, under its own provider name, outside this pact folder) and keep the message interactions here',
      );
    }
    if (interaction.type !== 'Asynchronous/Messages') {
      fail(
        `interaction ${index} has type ${JSON.stringify(interaction.type)}; eventkit contracts are "Asynchronous/Messages"`,
        [...at, 'type'],
      );
    }
    if (typeof interaction.description !== 'string' || interaction.description === '') {
      fail(`interaction ${index} has no description`, at);
    }
    if (!isObject(interaction.contents) || !('content' in interaction.contents)) {
      fail(`interaction "${String(interaction.description)}" has no "contents.content"`, at);
    }
    if (isObject(interaction.contents) && interaction.contents.content === null) {
      fail(`interaction "${String(interaction.description)}" has "contents.content": null, not a message`, [
        ...at,
        'contents',
        'content',
      ]);
    }
    if (!isObject(interaction.metadata)) {
      fail(`interaction "${String(interaction.description)}" has no "metadata" (subject, ce-type)`, at);
    }
    for (const key of ['subject', 'ce-type']) {
      const metadata = interaction.metadata as Record<string, unknown>;
      if (Object.hasOwn(metadata, key) && typeof metadata[key] !== 'string')
        fail(
          `interaction "${String(interaction.description)}" has a ${typeof metadata[key]} "metadata.${key}"; it must be a string`,
          [...at, 'metadata', key],
        );
    }
    if (interaction.providerStates !== undefined) {
      const states = interaction.providerStates;
      if (!Array.isArray(states) || states.some((s) => !isObject(s) || typeof s.name !== 'string')) {
        fail(`interaction "${String(interaction.description)}" has malformed "providerStates"`, [
          ...at,
          'providerStates',
        ]);
      }
    }
  });
  return value as unknown as PactFile;
}

/**
 * The stable form of a pact: interactions sorted by description then provider states, keys sorted. pact-js
 * merges into existing files and keeps insertion order; sorting makes a re-run byte-identical.
 */
export function normalisedPactText(pact: PactFile): string {
  const interactions = [...pact.interactions].sort((a, b) => {
    const byDescription = a.description.localeCompare(b.description, 'en');
    if (byDescription !== 0) return byDescription;
    return JSON.stringify(a.providerStates ?? []).localeCompare(JSON.stringify(b.providerStates ?? []), 'en');
  });
  return stableJson({ ...pact, interactions });
}

/** Rewrites a pact file in its stable form. */
export async function normalisePactFile(absolutePath: string, root: string): Promise<LoadedPact> {
  const loaded = await readPactFile(absolutePath, root);
  await replaceFileAtomically(absolutePath, normalisedPactText(loaded.pact));
  return readPactFile(absolutePath, root);
}

/** Pacts are written like every single output file (src/atomic-write.ts). */
export { replaceFileAtomically } from '../atomic-write.ts';

/** Reads every pact in `dir`; malformed files become errors in the list instead of stopping the rest. */
export async function readPactDir(
  dir: string,
  root: string,
): Promise<{ pacts: LoadedPact[]; errors: ContractsError[] }> {
  const pacts: LoadedPact[] = [];
  const errors: ContractsError[] = [];
  for (const file of await listPactFiles(dir)) {
    try {
      pacts.push(await readPactFile(file, root));
    } catch (error) {
      if (isContractsError(error)) errors.push(error);
      else throw error;
    }
  }
  return { pacts, errors };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
