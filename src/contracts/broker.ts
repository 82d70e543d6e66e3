// Optional Pact Broker: with PACT_BROKER_BASE_URL set, pacts are published to the broker and provider
// verification fetches them from there and publishes its results (pact-js Verifier options). The local
// results matrix is written either way, so can-i-deploy keeps working offline.
import type { VerifierOptions } from '@pact-foundation/pact';
import { redactUrl } from '../runtime/redact.ts';
import { ContractsError } from './errors.ts';
import { type LoadedPact, normalisedPactText } from './pact-file.ts';

export interface BrokerOptions {
  readonly baseUrl: string;
  readonly token?: string;
  readonly username?: string;
  readonly password?: string;
}

/** PACT_BROKER_BASE_URL (+ PACT_BROKER_TOKEN or PACT_BROKER_USERNAME/PASSWORD); undefined when unset. */
export function brokerFromEnv(env: NodeJS.ProcessEnv = process.env): BrokerOptions | undefined {
  const baseUrl = env.PACT_BROKER_BASE_URL?.trim();
  if (!baseUrl) return undefined;
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    ...(env.PACT_BROKER_TOKEN ? { token: env.PACT_BROKER_TOKEN } : {}),
    ...(env.PACT_BROKER_USERNAME ? { username: env.PACT_BROKER_USERNAME } : {}),
    ...(env.PACT_BROKER_PASSWORD ? { password: env.PACT_BROKER_PASSWORD } : {}),
  };
}

/** Connect + answer time allowed for one broker request. */
const brokerTimeoutMs = 15_000;

/** The broker's address of one pact version. */
export function brokerPactUrl(
  broker: BrokerOptions,
  consumer: string,
  provider: string,
  consumerVersion: string,
): string {
  const e = encodeURIComponent;
  return `${broker.baseUrl}/pacts/provider/${e(provider)}/consumer/${e(consumer)}/version/${e(consumerVersion)}`;
}

/** Publishes one pact for `consumerVersion` (the broker's "publish pact" PUT). */
export async function publishPact(
  broker: BrokerOptions,
  loaded: LoadedPact,
  consumerVersion: string,
): Promise<string> {
  const url = brokerPactUrl(broker, loaded.pact.consumer.name, loaded.pact.provider.name, consumerVersion);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', accept: 'application/hal+json', ...authHeader(broker) },
      body: normalisedPactText(loaded.pact),
      // A broker that accepts the connection and never answers must not hang the pipeline.
      signal: AbortSignal.timeout(brokerTimeoutMs),
    });
  } catch (error) {
    throw new ContractsError(
      'broker-failed',
      `cannot reach the Pact Broker at ${redactUrl(broker.baseUrl)}: ${(error as Error).message}`,
      {
        file: loaded.file,
        cause: error,
        hint: 'check PACT_BROKER_BASE_URL, or unset it to verify locally',
      },
    );
  }
  if (!response.ok) {
    const body = (await response.text().catch(() => '')).slice(0, 300);
    throw new ContractsError(
      'broker-failed',
      `the Pact Broker refused the pact (${response.status} ${response.statusText}) ${body}`.trim(),
      {
        file: loaded.file,
        hint: 'check PACT_BROKER_TOKEN / PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD',
      },
    );
  }
  return url;
}

/** Verifier options that fetch the pact from the broker and publish the verification result there. */
export function brokerVerifierOptions(
  broker: BrokerOptions,
  pactUrl: string,
  providerVersion: string,
): Partial<VerifierOptions> {
  return {
    pactUrls: [pactUrl],
    publishVerificationResult: true,
    providerVersion,
    ...(broker.token ? { pactBrokerToken: broker.token } : {}),
    ...(broker.username ? { pactBrokerUsername: broker.username } : {}),
    ...(broker.password ? { pactBrokerPassword: broker.password } : {}),
  };
}

function authHeader(broker: BrokerOptions): Record<string, string> {
  if (broker.token) return { authorization: `Bearer ${broker.token}` };
  if (broker.username) {
    return {
      authorization: `Basic ${Buffer.from(`${broker.username}:${broker.password ?? ''}`).toString('base64')}`,
    };
  }
  return {};
}
