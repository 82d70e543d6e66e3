// Provider side: verify every interaction of a pact by running the producer's real command and returning
// what it would publish, in its JSON view. Never a hand-built message.
import { Verifier, type VerifierOptions } from '@pact-foundation/pact';
import type { Codec, OutboundMessage } from '../runtime/api.ts';
import { ContractsError } from './errors.ts';
import {
  interactionEventType,
  type LoadedPact,
  type PactMessageInteraction,
  type PactProviderState,
} from './pact-file.ts';
import { type InteractionFailure, parseVerifierFailures } from './verification-report.ts';

process.env.PACT_DO_NOT_TRACK ??= 'true';

export interface ProducerContext {
  readonly consumer: string;
  readonly description: string;
  readonly states: readonly PactProviderState[];
}

/** How one service produces its messages for verification: real commands, real storage, captured output. */
export interface ProviderContract {
  /** Service id (the pacts' provider name). */
  readonly service: string;
  /** Gives the producer a fresh world (new database, empty outbox) before each interaction. */
  reset?(): Promise<void>;
  /** Releases what `reset` created, after the last interaction. */
  close?(): Promise<void>;
  /** Provider states by name: bring the producer into that state (through its real commands where it can). */
  readonly states: Readonly<Record<string, (params: Readonly<Record<string, unknown>>) => Promise<void>>>;
  /** By event type: run the real command that makes the producer emit it; return what would be published. */
  readonly producers: Readonly<
    Record<string, (context: ProducerContext) => Promise<readonly OutboundMessage[]>>
  >;
  /** The codec of an event type, to turn captured bytes into the JSON view. */
  codecFor(type: string): Codec<unknown> | undefined;
}

export interface InteractionResult {
  readonly consumer: string;
  readonly provider: string;
  readonly description: string;
  readonly eventType?: string;
  /** `file:line` of the interaction in the pact file. */
  readonly file: string;
  readonly line: number;
  readonly success: boolean;
  readonly failures: readonly InteractionFailure[];
}

export interface PactVerification {
  readonly consumer: string;
  readonly provider: string;
  readonly file: string;
  readonly pactSha256: string;
  readonly success: boolean;
  readonly interactions: readonly InteractionResult[];
  readonly durationMs: number;
}

export interface VerifyPactOptions {
  readonly providerVersion: string;
  /** Extra pact-js Verifier options (a Pact Broker, result publishing); see README. */
  readonly verifierOptions?: Partial<VerifierOptions>;
}

/** Verifies one pact file against a provider contract. Resolves with per-interaction results; never throws on mismatches. */
export async function verifyPact(
  loaded: LoadedPact,
  provider: ProviderContract,
  options: VerifyPactOptions,
): Promise<PactVerification> {
  const started = performance.now();
  const { pact } = loaded;
  if (pact.provider.name !== provider.service) {
    throw new ContractsError(
      'no-provider',
      `pact is for provider "${pact.provider.name}", not "${provider.service}"`,
      { file: loaded.file },
    );
  }
  // Errors thrown while producing, by description: the verifier only sees an HTTP 500, we keep the reason.
  const producerErrors = new Map<string, string>();
  // Start the provider's world now (the first reset opens its database), not inside the verifier's first
  // message request: a cold start on a busy machine can outlast the verifier's HTTP timeout. A failure
  // here is left to the interactions, which report it with their reset.
  await provider.reset?.().catch(() => undefined);
  const messageProviders: Record<string, () => Promise<unknown>> = {};
  const stateNames = new Set<string>();
  for (const interaction of pact.interactions) {
    for (const state of interaction.providerStates ?? []) stateNames.add(state.name);
    messageProviders[interaction.description] = async () => {
      try {
        return await produce(interaction, pact.consumer.name, provider);
      } catch (error) {
        producerErrors.set(interaction.description, error instanceof Error ? error.message : String(error));
        throw error;
      }
    };
  }
  const verifier = new Verifier({
    provider: provider.service,
    providerVersion: options.providerVersion,
    pactUrls: [loaded.absolutePath],
    logLevel: 'error',
    // States are applied inside the message provider (so a failing state fails the interaction instead of
    // being logged and ignored, which is what pact-js does with state handler errors); these only keep
    // pact-js from warning about unknown states.
    stateHandlers: Object.fromEntries([...stateNames].map((name) => [name, async () => undefined])),
    messageProviders,
    requestFilter: keepJsonResponseType,
    ...options.verifierOptions,
  } as VerifierOptions);

  let rawFailures: unknown = [];
  try {
    await verifier.verifyProvider();
  } catch (error) {
    rawFailures = verifierErrors(error, loaded.file);
  }
  const failures = parseVerifierFailures(
    rawFailures,
    pact.interactions.map((i) => i.description),
  );
  const interactions = pact.interactions.map((interaction, index): InteractionResult => {
    const own = [...(failures.get(interaction.description) ?? [])];
    const producerError = producerErrors.get(interaction.description);
    if (producerError !== undefined) {
      own.splice(0, own.length, { message: `the producer failed: ${producerError}` });
    }
    return {
      consumer: pact.consumer.name,
      provider: pact.provider.name,
      description: interaction.description,
      eventType: interactionEventType(interaction),
      file: loaded.file,
      line: loaded.interactionLine(index),
      success: own.length === 0,
      failures: own,
    };
  });
  return {
    consumer: pact.consumer.name,
    provider: pact.provider.name,
    file: loaded.file,
    pactSha256: loaded.sha256,
    success: interactions.every((i) => i.success),
    interactions,
    durationMs: Math.round(performance.now() - started),
  };
}

async function produce(
  interaction: PactMessageInteraction,
  consumer: string,
  provider: ProviderContract,
): Promise<unknown> {
  const eventType = interactionEventType(interaction);
  if (eventType === undefined) throw new Error('the interaction has no ce-type metadata');
  const producer = provider.producers[eventType];
  if (producer === undefined) {
    throw new Error(`${provider.service} has no producer for ${eventType} in its provider contract`);
  }
  const codec = provider.codecFor(eventType);
  if (codec === undefined) throw new Error(`${provider.service} has no codec for ${eventType}`);
  await provider.reset?.();
  const states = interaction.providerStates ?? [];
  for (const state of states) {
    const setUp = provider.states[state.name];
    if (setUp === undefined) {
      throw new Error(`${provider.service} does not know the provider state "${state.name}"`);
    }
    await setUp(state.params ?? {});
  }
  const published = await producer({ consumer, description: interaction.description, states });
  const message = published.find((m) => m.type === eventType);
  if (message === undefined) {
    const sent = published.map((m) => m.type).join(', ') || 'nothing';
    throw new Error(`the producer command published ${sent}, no ${eventType}`);
  }
  return {
    __pactMessageMetadata: { ...message.headers, subject: message.subject },
    message: codec.toJson(codec.decode(message.data)),
  };
}

/**
 * The pact-js message proxy copies a `content-type` metadata entry into the HTTP response's Content-Type,
 * so `content-type: application/protobuf` (the wire header) would make the verifier compare the JSON view
 * as opaque bytes. The body is always the JSON view, so keep the response type JSON.
 */
function keepJsonResponseType(
  _request: unknown,
  response: { type: (t: string) => unknown },
  next: () => void,
): void {
  response.type = function keepJson(this: unknown) {
    return this;
  };
  next();
}

function verifierErrors(error: unknown, file: string): unknown {
  const message = error instanceof Error ? error.message : String(error);
  try {
    const parsed = JSON.parse(message) as { errors?: unknown };
    if (Array.isArray(parsed.errors)) return parsed.errors;
  } catch {
    // not the verifier's JSON report: an infrastructure failure, reported below.
  }
  throw new ContractsError('verifier-failed', `the Pact verifier could not run: ${message}`, {
    file,
    cause: error,
  });
}
