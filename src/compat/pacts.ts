// Reads Pact message contracts (V4 `Asynchronous/Messages` interactions, V3 `messages`) to tell which
// consumer interactions touch a changed payload field.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { matchInteraction, normalisePactDocument } from '../contracts/pact-reader.ts';
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

function bodyOf(contents: unknown): unknown {
  // V4: { content, contentType, encoded }; V3: the body itself.
  const content = isRecord(contents) && 'content' in contents ? contents.content : contents;
  if (typeof content === 'string') {
    try {
      return JSON.parse(content);
    } catch {
      return content;
    }
  }
  return content;
}

function nameOf(party: unknown): string {
  return isRecord(party) && typeof party.name === 'string' ? party.name : 'unknown';
}

/** Parses one pact document through the one Pact reader; returns its message interactions (HTTP ones are skipped). */
export function parsePact(doc: unknown, file: string): PactInteraction[] {
  const normalised = normalisePactDocument(doc);
  if (!isRecord(normalised)) return [];
  const consumer = nameOf(normalised.consumer);
  const provider = nameOf(normalised.provider);
  const out: PactInteraction[] = [];
  for (const interaction of Array.isArray(normalised.interactions) ? normalised.interactions : []) {
    if (!isRecord(interaction)) continue;
    const type = typeof interaction.type === 'string' ? interaction.type : 'Asynchronous/Messages';
    if (!/message/i.test(type)) continue;
    out.push({
      consumer,
      provider,
      description: typeof interaction.description === 'string' ? interaction.description : '',
      body: bodyOf(interaction.contents),
      metadata: isRecord(interaction.metadata) ? interaction.metadata : {},
      file,
    });
  }
  return out;
}

/** Loads every `*.json` pact under the folder; unreadable files become diagnostics, never exceptions. */
export async function loadPacts(
  root: string,
  pactDir: string,
): Promise<{ interactions: PactInteraction[]; diagnostics: Diagnostic[] }> {
  const files = await fg('*.json', { cwd: path.join(root, pactDir), onlyFiles: true }).catch(
    () => [] as string[],
  );
  const interactions: PactInteraction[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const name of files.sort()) {
    const file = path.posix.join(pactDir, name);
    try {
      interactions.push(...parsePact(JSON.parse(await readFile(path.join(root, file), 'utf8')), file));
    } catch (error) {
      diagnostics.push({
        ruleId: 'pact-unreadable',
        severity: 'warning',
        message: `${file}: not a readable pact (${error instanceof Error ? error.message : String(error)}); its consumers are not checked`,
        location: { file, line: 1, column: 1 },
      });
    }
  }
  return { interactions, diagnostics };
}

/**
 * Whether an interaction is about the event, by the one matching rule of the contracts module
 * (ce-type, subject/channel, description, …) over `registry`'s events (default: this event alone).
 */
export function interactionIsFor(
  interaction: PactInteraction,
  event: EventModel,
  registry: Pick<Registry, 'events'> = { events: [event] },
): boolean {
  return matchInteraction(registry, interaction.provider, interaction).event?.type === event.type;
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
