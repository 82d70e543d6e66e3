// The one Pact reader: the shapes the Pact ecosystem writes (pact-js / pact-jvm V3 message pacts with
// `messages[]`, V4 `Asynchronous/Messages` interactions with or without CloudEvents metadata) become one view,
// and ONE rule decides which event an interaction is about — contracts, verify, compat and the catalog use it.
import type { EventModel, Registry } from '../model/types.ts';
import type { LoadedPact, PactMessageInteraction } from './pact-file.ts';
import { subjectMatchesPattern } from './subject.ts';

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A pact document with V3 `messages[]` rewritten as V4 `Asynchronous/Messages` interactions (`contents` →
 * `contents.content`, `metaData`/`metadata` → `metadata`), and V4 interactions given a `metadata` object
 * (merged with `contents.metadata`, where some writers put it). Other values are returned unchanged.
 */
export function normalisePactDocument(value: unknown): unknown {
  if (!isObject(value)) return value;
  const messages = Array.isArray(value.messages) ? value.messages : undefined;
  const interactions = Array.isArray(value.interactions) ? value.interactions : undefined;
  if (messages === undefined && interactions === undefined) return value;
  const fromV3 = (messages ?? []).map((message) => {
    if (!isObject(message)) return message;
    const { contents, metaData, metadata, ...rest } = message;
    return {
      ...rest,
      type: 'Asynchronous/Messages',
      contents: { content: contents ?? null, contentType: 'application/json' },
      metadata: { ...(isObject(metaData) ? metaData : {}), ...(isObject(metadata) ? metadata : {}) },
    };
  });
  const v4 = (interactions ?? []).map((interaction) => {
    if (!isObject(interaction) || isObject(interaction.metadata)) return interaction;
    const inner =
      isObject(interaction.contents) && isObject(interaction.contents.metadata)
        ? interaction.contents.metadata
        : {};
    return { ...interaction, metadata: { ...inner } };
  });
  const { messages: _messages, ...rest } = value;
  return { ...rest, interactions: [...v4, ...fromV3] };
}

/** What the reader needs of an interaction. */
export interface InteractionView {
  readonly description: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** The message body (JSON view). */
  readonly body: unknown;
}

/** The message interactions of one pact document, as the reader sees them. */
export interface PactMessages {
  readonly consumer: string;
  readonly provider: string;
  /** Message interactions (V4 `Asynchronous/Messages` / `Synchronous/Messages`, V3 `messages[]`), in file order. */
  readonly messages: readonly InteractionView[];
}

/**
 * Reads any pact document the Pact ecosystem writes into its message interactions (V3 `messages[]`, V4
 * message interactions; HTTP interactions are not event contracts and are left out), each body through
 * `contentBody`. Returns `problem` instead when the document is not a pact at all.
 */
export function pactMessages(doc: unknown): PactMessages | { readonly problem: string } {
  const value = normalisePactDocument(doc);
  if (!isObject(value)) return { problem: 'not a JSON object' };
  const nameOf = (party: unknown): string | undefined =>
    isObject(party) && typeof party.name === 'string' && party.name !== '' ? party.name : undefined;
  const consumer = nameOf(value.consumer);
  const provider = nameOf(value.provider);
  if (consumer === undefined || provider === undefined)
    return { problem: 'missing consumer.name or provider.name' };
  const messages: InteractionView[] = [];
  for (const raw of Array.isArray(value.interactions) ? value.interactions : []) {
    if (!isObject(raw)) continue;
    // An interaction without a type is a message (pact-js V3 message pacts write none).
    if (typeof raw.type === 'string' && !/message/i.test(raw.type)) continue;
    const contents = isObject(raw.contents) ? raw.contents : { content: null };
    messages.push({
      description: typeof raw.description === 'string' ? raw.description : '',
      metadata: isObject(raw.metadata) ? raw.metadata : {},
      body: contentBody(contents as { content: unknown; encoded?: unknown }),
    });
  }
  return { consumer, provider, messages };
}

/** How an interaction was matched to an event: the first rule that decided. */
export type MatchRule = 'ce-type' | 'subject' | 'description' | 'body-schema';

export type InteractionMatch =
  | { readonly event: EventModel; readonly rule: MatchRule; readonly detail: string }
  | { readonly event?: undefined; readonly reason: string; readonly hint: string };

const TYPE_KEYS = [
  'ce-type',
  'ce_type',
  'cetype',
  'type',
  'eventtype',
  'event-type',
  'event_type',
  'x-eventkit-type',
  'messagetype',
];
const SUBJECT_KEYS = [
  'subject',
  'nats-subject',
  'channel',
  'destination',
  'topic',
  'queue',
  'routing-key',
  'routingkey',
];

function metaString(meta: Readonly<Record<string, unknown>>, keys: readonly string[]): string | undefined {
  for (const key of Object.keys(meta)) {
    const value = meta[key];
    if (keys.includes(key.toLowerCase()) && typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** The concrete subject/topic/queue an interaction names in its metadata. */
export function metadataSubject(metadata: Readonly<Record<string, unknown>>): string | undefined {
  return metaString(metadata, SUBJECT_KEYS);
}

const words = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

/**
 * Which event an interaction is about, in this order: its event type metadata (`ce-type`, `type`, …); its
 * subject/channel/topic metadata against every channel address of the provider's events; the description
 * naming exactly one of the provider's events; the body fitting exactly one of their schemas (`fits`).
 */
export function matchInteraction(
  registry: Pick<Registry, 'events'>,
  provider: string,
  interaction: InteractionView,
  fits?: (event: EventModel, body: unknown) => boolean,
): InteractionMatch {
  const type = metaString(interaction.metadata, TYPE_KEYS);
  if (type !== undefined) {
    const event = registry.events.find((e) => e.type === type);
    if (event) return { event, rule: 'ce-type', detail: `metadata names ${type}` };
    return {
      reason: `event type ${JSON.stringify(type)} is not in the AsyncAPI documents`,
      hint: 'the event was removed or renamed in the spec: update the consumer test, or drop the interaction',
    };
  }
  const candidates = registry.events.filter((e) => e.producer === undefined || e.producer === provider);
  const subject = metaString(interaction.metadata, SUBJECT_KEYS);
  if (subject !== undefined) {
    // A concrete address names its channel whoever the pact says provides it (a mismatch is checked later).
    const hits = registry.events.filter((e) =>
      e.channels.some(
        (c) => c.address === subject || (c.address !== '' && subjectMatchesPattern(subject, c.address)),
      ),
    );
    if (hits.length === 1 && hits[0])
      return { event: hits[0], rule: 'subject', detail: `subject ${subject}` };
    if (hits.length > 1)
      return {
        reason: `subject ${subject} fits ${hits.map((e) => e.type).join(', ')}`,
        hint: 'add metadata "ce-type" with the event type to say which one',
      };
  }
  const description = interaction.description.toLowerCase();
  const named = candidates.filter(
    (e) =>
      description.includes(e.name.toLowerCase()) ||
      description.includes(words(e.name)) ||
      description.includes(e.kebab),
  );
  if (named.length === 1 && named[0])
    return { event: named[0], rule: 'description', detail: `description names ${named[0].name}` };
  if (fits) {
    const pool = named.length > 1 ? named : candidates;
    const fitting = pool.filter((e) => fits(e, interaction.body));
    if (fitting.length === 1 && fitting[0])
      return { event: fitting[0], rule: 'body-schema', detail: `body fits only ${fitting[0].type}` };
  }
  return {
    reason: `cannot tell which event it is about (no event type metadata${subject === undefined ? ', no subject' : `, subject ${subject} fits no channel of ${provider}`}, description names ${named.length === 0 ? 'no event' : named.map((e) => e.name).join(' and ')} of ${provider})`,
    hint: `add metadata "ce-type" (the event type) or "subject" (the channel address) to the interaction`,
  };
}

/**
 * The message body of an interaction's `contents` in its JSON view: `content` as written, base64 content
 * (`encoded: "base64"` or `true`) decoded, and JSON text (what some writers put in `content`) parsed.
 */
export function contentBody(contents: { readonly content: unknown; readonly encoded?: unknown }): unknown {
  const content = contents.content;
  if (typeof content !== 'string') return content;
  const base64 = contents.encoded === true || String(contents.encoded).toLowerCase() === 'base64';
  const text = base64 ? Buffer.from(content, 'base64').toString('utf8') : content;
  try {
    return JSON.parse(text);
  } catch {
    return base64 ? undefined : content;
  }
}

/** The interaction as the reader sees it (body through `contentBody`). */
export function interactionView(interaction: PactMessageInteraction): InteractionView {
  return {
    description: interaction.description,
    metadata: interaction.metadata,
    body: contentBody(interaction.contents),
  };
}

/** True when both participants of a pact are services of the registry. */
export function pactIsAboutServices(registry: Pick<Registry, 'services'>, loaded: LoadedPact): boolean {
  const ids = new Set(registry.services.map((s) => s.id));
  return ids.has(loaded.pact.consumer.name) && ids.has(loaded.pact.provider.name);
}

/**
 * The pact with every interaction that has no `ce-type` metadata given the type it was matched to (in
 * memory: the file, its sha256 and its lines are unchanged), so verification produces the right event.
 */
export function withMatchedTypes(
  registry: Pick<Registry, 'events'>,
  loaded: LoadedPact,
  fits?: (event: EventModel, body: unknown) => boolean,
): LoadedPact {
  if (loaded.pact.interactions.every((i) => typeof i.metadata['ce-type'] === 'string')) return loaded;
  const interactions = loaded.pact.interactions.map((interaction) => {
    if (typeof interaction.metadata['ce-type'] === 'string') return interaction;
    const match = matchInteraction(registry, loaded.pact.provider.name, interactionView(interaction), fits);
    return match.event
      ? { ...interaction, metadata: { ...interaction.metadata, 'ce-type': match.event.type } }
      : interaction;
  });
  return { ...loaded, pact: { ...loaded.pact, interactions } };
}
