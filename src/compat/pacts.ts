// Reads Pact message contracts (V4 `Asynchronous/Messages` interactions, V3 `messages`) to tell which
// consumer interactions touch a changed payload field.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import type { Diagnostic, EventModel } from '../model/types.ts';

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

/** Parses one pact document; returns its message interactions (HTTP interactions are skipped). */
export function parsePact(doc: unknown, file: string): PactInteraction[] {
  if (!isRecord(doc)) return [];
  const consumer = nameOf(doc.consumer);
  const provider = nameOf(doc.provider);
  const raw = [
    ...(Array.isArray(doc.interactions) ? doc.interactions : []),
    ...(Array.isArray(doc.messages) ? doc.messages : []),
  ];
  const out: PactInteraction[] = [];
  for (const interaction of raw) {
    if (!isRecord(interaction)) continue;
    const type = typeof interaction.type === 'string' ? interaction.type : 'Asynchronous/Messages';
    if (!/message/i.test(type)) continue;
    const contents =
      'contents' in interaction
        ? interaction.contents
        : isRecord(interaction.request)
          ? interaction.request.body
          : undefined;
    const contentsMeta =
      isRecord(interaction.contents) && isRecord(interaction.contents.metadata)
        ? interaction.contents.metadata
        : {};
    out.push({
      consumer,
      provider,
      description: typeof interaction.description === 'string' ? interaction.description : '',
      body: bodyOf(contents),
      metadata: { ...contentsMeta, ...(isRecord(interaction.metadata) ? interaction.metadata : {}) },
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

function metaString(meta: Readonly<Record<string, unknown>>, keys: readonly string[]): string | undefined {
  for (const key of Object.keys(meta)) {
    if (keys.includes(key.toLowerCase()) && typeof meta[key] === 'string') return meta[key] as string;
  }
  return undefined;
}

function subjectMatches(subject: string, pattern: string): boolean {
  const escaped = pattern
    .split(/\{[^}]*\}/)
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^.]+');
  return new RegExp(`^${escaped}$`).test(subject) || subject === pattern;
}

/**
 * Whether an interaction is about the event: by `ce-type` / `type` metadata, else by the NATS subject,
 * else (no such metadata) by the provider producing it and the description naming it.
 */
export function interactionIsFor(interaction: PactInteraction, event: EventModel): boolean {
  const type = metaString(interaction.metadata, [
    'ce-type',
    'cetype',
    'type',
    'eventtype',
    'event-type',
    'x-eventkit-type',
  ]);
  if (type !== undefined) return type === event.type;
  const subject = metaString(interaction.metadata, ['subject', 'nats-subject', 'channel', 'destination']);
  if (subject !== undefined) return subjectMatches(subject, event.subjectPattern);
  return (
    (event.producer === undefined || interaction.provider === event.producer) &&
    interaction.description.toLowerCase().includes(event.name.toLowerCase())
  );
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
