// Which consumer interactions of the pacts touch a changed payload field. Pact files are read and their
// shapes (V4 message interactions, V3 `messages[]`) understood by the contracts module's one Pact reader.
import path from 'node:path';
import { isContractsError } from '../contracts/errors.ts';
import { listPactFiles, readPactDocument } from '../contracts/pact-file.ts';
import { matchInteraction, pactMessages } from '../contracts/pact-reader.ts';
import type { Diagnostic, EventModel, Registry } from '../model/types.ts';

export interface PactInteraction {
  readonly consumer: string;
  readonly provider: string;
  readonly description: string;
  /** The message body in its JSON view. */
  readonly body: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Pact file, relative to the project root. */
  readonly file: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** One pact document's message interactions (HTTP ones are skipped); throws when it is not a pact. */
export function parsePact(doc: unknown, file: string): PactInteraction[] {
  const read = pactMessages(doc);
  if ('problem' in read) throw new Error(read.problem);
  return read.messages.map((m) => ({ consumer: read.consumer, provider: read.provider, ...m, file }));
}

/** Loads every `*.json` pact under the folder; unreadable files become diagnostics, never exceptions. */
export async function loadPacts(
  root: string,
  pactDir: string,
): Promise<{ interactions: PactInteraction[]; diagnostics: Diagnostic[] }> {
  const interactions: PactInteraction[] = [];
  const diagnostics: Diagnostic[] = [];
  const unreadable = (file: string, line: number, why: string): void => {
    diagnostics.push({
      ruleId: 'pact-unreadable',
      severity: 'warning',
      message: `${file}: not a readable pact (${why}); its consumers are not checked`,
      location: { file, line, column: 1 },
    });
  };
  let files: string[];
  try {
    files = await listPactFiles(path.join(root, pactDir));
  } catch (error) {
    unreadable(pactDir, 1, error instanceof Error ? error.message : String(error));
    return { interactions, diagnostics };
  }
  for (const absolutePath of files) {
    try {
      const { file, value } = await readPactDocument(absolutePath, root);
      try {
        interactions.push(...parsePact(value, file));
      } catch (error) {
        unreadable(file, 1, (error as Error).message);
      }
    } catch (error) {
      if (!isContractsError(error)) throw error;
      unreadable(error.file ?? absolutePath, error.line ?? 1, error.message);
    }
  }
  return { interactions, diagnostics };
}

/**
 * Whether an interaction is about the event, by the one matching rule of the contracts module
 * (ce-type, subject/channel, description, body schema when `fits` is given) over `registry`'s events
 * (default: this event alone).
 */
export function interactionIsFor(
  interaction: PactInteraction,
  event: EventModel,
  registry: Pick<Registry, 'events'> = { events: [event] },
  fits?: (event: EventModel, body: unknown) => boolean,
): boolean {
  return matchInteraction(registry, interaction.provider, interaction, fits).event?.type === event.type;
}

/**
 * A field path (`lines[].sku`, `customerId`, `attributes.*`) is touched when the body carries it.
 * The empty path means the whole payload.
 */
export function bodyTouches(body: unknown, fieldPath: string): boolean {
  if (fieldPath === '') return true;
  const segments = fieldPath.split('.').flatMap((s) => {
    const parts: string[] = [];
    let name = s;
    let arrays = 0;
    while (name.endsWith('[]')) {
      name = name.slice(0, -2);
      arrays += 1;
    }
    parts.push(name);
    for (let i = 0; i < arrays; i++) parts.push('[]');
    return parts;
  });
  const visit = (node: unknown, index: number): boolean => {
    if (index === segments.length) return node !== undefined;
    const segment = segments[index] ?? '';
    if (segment === '[]') {
      // Repeated fields are arrays; proto maps are objects in the JSON view.
      const items = Array.isArray(node) ? node : isRecord(node) ? Object.values(node) : [];
      return items.some((item) => visit(item, index + 1));
    }
    if (!isRecord(node)) return false;
    if (segment === '*') return Object.values(node).some((v) => visit(v, index + 1));
    return segment in node && visit(node[segment], index + 1);
  };
  return visit(body, 0);
}
