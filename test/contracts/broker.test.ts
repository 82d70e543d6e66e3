// Publishing a pact to a Pact Broker: the broker's PUT endpoint, the normalised pact as body, credentials
// from the environment. A local HTTP server stands in for the broker and records what arrives.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  brokerFromEnv,
  brokerVerifierOptions,
  isContractsError,
  publishPact,
  readPactFile,
} from '../../src/contracts/index.ts';
import { repoRoot } from './support/consumer-pacts.ts';

const received: { method?: string; url?: string; authorization?: string; body: string }[] = [];
let status = 201;
const server = createServer((request: IncomingMessage, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => {
    body += chunk.toString();
  });
  request.on('end', () => {
    received.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.authorization,
      body,
    });
    response.writeHead(status, { 'content-type': 'application/hal+json' }).end('{}');
  });
});
let baseUrl: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('Pact Broker publishing', () => {
  it('reads the broker from the environment, PUTs the pact with a bearer token and builds verifier options', async () => {
    const broker = brokerFromEnv({ PACT_BROKER_BASE_URL: `${baseUrl}/`, PACT_BROKER_TOKEN: 't0k' });
    expect(broker).toEqual({ baseUrl, token: 't0k' });
    expect(brokerFromEnv({})).toBeUndefined();
    if (broker === undefined) return;
    const pact = await readPactFile(path.join(repoRoot, 'contracts/pacts/payments-orders.json'), repoRoot);
    const url = await publishPact(broker, pact, 'abc123');
    expect(url).toBe(`${baseUrl}/pacts/provider/orders/consumer/payments/version/abc123`);
    expect(received.at(-1)).toMatchObject({
      method: 'PUT',
      url: '/pacts/provider/orders/consumer/payments/version/abc123',
      authorization: 'Bearer t0k',
    });
    expect(JSON.parse(received.at(-1)?.body ?? '{}')).toMatchObject({
      consumer: { name: 'payments' },
      provider: { name: 'orders' },
    });
    expect(brokerVerifierOptions(broker, url, 'abc123')).toEqual({
      pactUrls: [url],
      publishVerificationResult: true,
      providerVersion: 'abc123',
      pactBrokerToken: 't0k',
    });
  });

  it('turns a refusal into an error naming the pact file', async () => {
    status = 401;
    const pact = await readPactFile(path.join(repoRoot, 'contracts/pacts/payments-orders.json'), repoRoot);
    const error = await publishPact({ baseUrl, username: 'ci', password: 'x' }, pact, 'abc123').catch(
      (e: unknown) => e,
    );
    expect(isContractsError(error) && [error.code, error.file]).toEqual([
      'broker-failed',
      'contracts/pacts/payments-orders.json',
    ]);
    expect(received.at(-1)?.authorization).toBe(`Basic ${Buffer.from('ci:x').toString('base64')}`);
    status = 201;
  });
});
