// Consumer side: declare the messages a service expects (PactV4 asynchronous interactions) and push each
// pact message through the real codec into the real handler.
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import type { ConsumedEvent, EventDescriptor, EventHandler } from '../runtime/api.ts';
import { normalisedPactText, pactFileName, parsePactText, replaceFileAtomically } from './pact-file.ts';
import { subjectParams, subjectRegexSource } from './subject.ts';

// pact-js phones home unless told not to; contract runs must work offline.
process.env.PACT_DO_NOT_TRACK ??= 'true';

/** The concrete message pact-js hands the consumer test (matchers replaced by their example values). */
export interface PactMessage {
  readonly contents: { readonly content: unknown };
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface MessagePactOptions {
  /** Service id of the receiving service (the pact's consumer). */
  readonly consumer: string;
  /** Service id of the sending service (the pact's provider). */
  readonly provider: string;
  /** Absolute folder the pact file goes to (usually `<root>/contracts/pacts`). */
  readonly dir: string;
}

/** The event facts a pact message needs; an `EventDescriptor` (generated code) or an `EventModel` both fit. */
export interface ContractEvent {
  readonly type: string;
  readonly subjectPattern: string;
  readonly contentType?: 'application/protobuf' | 'application/json';
  readonly codec?: { readonly contentType: 'application/protobuf' | 'application/json' };
}

export interface ExpectedEvent {
  /** Interaction description; providers look producers up by `ce-type`, so this is for people. */
  readonly description: string;
  readonly event: ContractEvent;
  /** Provider states the producer must be in before it can send the message. */
  readonly given?: readonly { readonly name: string; readonly params?: Readonly<Record<string, unknown>> }[];
  /** The body in its JSON view, with Pact matchers on the fields the consumer relies on. */
  readonly body: unknown;
  /** An example subject for the message; the pact carries a regex over the channel address. */
  readonly subject: string;
}

/** One consumer→provider pact. The file is removed first so pact-js's merge cannot keep stale interactions. */
export interface MessagePact {
  readonly file: string;
  /** Adds an interaction and runs `test` with the concrete message pact-js generated from it. */
  expects(expected: ExpectedEvent, test: (message: PactMessage) => Promise<void>): Promise<void>;
  /** Rewrites the pact file in its stable form; call once after the last `expects`. */
  finalize(root: string): Promise<void>;
}

export async function createMessagePact(options: MessagePactOptions): Promise<MessagePact> {
  const file = path.join(options.dir, pactFileName(options.consumer, options.provider));
  // pact-js writes (and merges) into a private staging folder; finalize() swaps the normalised file into
  // place atomically, so readers of the pact folder never see a missing or half-merged pact.
  const staging = await mkdtemp(path.join(tmpdir(), 'eventkit-pact-'));
  const pact = new PactV4({
    consumer: options.consumer,
    provider: options.provider,
    dir: staging,
    logLevel: 'error',
  });
  // A failed interaction is missing from the staged file; swapping that in would silently drop it from
  // the committed pact, so a pact with a failed test is not written at all.
  let failures = 0;
  return {
    file,
    async expects(expected, test) {
      let interaction = pact.addAsynchronousInteraction();
      for (const state of expected.given ?? []) {
        interaction = interaction.given(state.name, state.params as Parameters<typeof interaction.given>[1]);
      }
      await interaction
        .expectsToReceive(expected.description, (builder) => {
          builder
            .withJSONContent(expected.body)
            .withMetadata(eventMetadata(expected.event, expected.subject));
        })
        .executeTest(async (message) => test(message as PactMessage))
        .catch((error: unknown) => {
          failures += 1;
          throw error;
        });
    },
    async finalize(root) {
      try {
        const staged = path.join(staging, pactFileName(options.consumer, options.provider));
        const text = await readFile(staged, 'utf8').catch(() => undefined);
        // No file (no interaction passed) or a failed interaction: the committed pact stays as it is and the
        // failing test says why.
        if (text === undefined || failures > 0) return;
        await mkdir(options.dir, { recursive: true });
        await replaceFileAtomically(
          file,
          normalisedPactText(parsePactText(text, path.relative(root, file)).pact),
        );
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Metadata every eventkit message interaction carries: the subject (a regex over the channel address, so a
 * renamed subject fails verification), the CloudEvents type and the wire content type.
 */
export function eventMetadata(
  event: ContractEvent,
  exampleSubject: string,
): Record<string, string | ReturnType<typeof MatchersV3.regex>> {
  return {
    subject: MatchersV3.regex(subjectRegexSource(event.subjectPattern), exampleSubject),
    'ce-type': event.type,
    'content-type': event.codec?.contentType ?? event.contentType ?? 'application/protobuf',
  };
}

export interface Delivery<T> {
  readonly event: ConsumedEvent<T>;
  /** The bytes that went over the (simulated) wire. */
  readonly data: Uint8Array;
}

/**
 * Pushes a pact message through the real codec (JSON view → payload bytes → decode) into `handler`, the way
 * the runtime's subscriber would deliver it, and returns what the handler saw.
 */
export async function deliverPactMessage<T>(
  message: PactMessage,
  descriptor: EventDescriptor<T>,
  handler: EventHandler<T>,
  options: { readonly id?: string; readonly source?: string; readonly time?: Date } = {},
): Promise<Delivery<T>> {
  const metadata = message.metadata as Record<string, unknown>;
  const type = metadata['ce-type'];
  if (type !== descriptor.type) {
    throw new Error(
      `pact message has ce-type ${JSON.stringify(type)}, the handler receives ${descriptor.type}`,
    );
  }
  const subject = String(metadata.subject);
  const params = subjectParams(subject, descriptor.subjectPattern);
  if (params === undefined) {
    throw new Error(
      `pact message subject ${subject} does not match the channel ${descriptor.subjectPattern}`,
    );
  }
  const data = descriptor.codec.encode(descriptor.codec.fromJson(message.contents.content));
  const payload = descriptor.codec.decode(data);
  const id = options.id ?? randomUUID();
  const headers: Record<string, string> = {
    'ce-specversion': '1.0',
    'ce-id': id,
    'ce-source': options.source ?? 'pact',
    'ce-type': descriptor.type,
    'ce-time': (options.time ?? new Date()).toISOString(),
    'ce-subject': subject,
    'content-type': descriptor.codec.contentType,
    'ce-correlationid': id,
  };
  const event: ConsumedEvent<T> = {
    payload,
    id,
    type: descriptor.type,
    subject,
    source: headers['ce-source'] ?? 'pact',
    time: options.time ?? new Date(),
    correlationId: id,
    headers,
    params,
    deliveryCount: 1,
  };
  const controller = new AbortController();
  await handler(event, { working: () => undefined, signal: controller.signal });
  return { event, data };
}
