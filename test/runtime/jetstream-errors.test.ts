// What a user sees when the broker side is missing: clear errors that say what to do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectNats,
  createPublisher,
  createRouter,
  isPublishError,
  isTransportError,
  jetstreamTransport,
  type Transport,
} from '../../src/runtime/index.ts';
import { fastConsumer, freshEvent } from '../conformance/fixtures.ts';
import { type NatsServer, startNatsServer } from '../support/nats-server.ts';

describe('JetStream transport errors', () => {
  let server: NatsServer;
  let transport: Transport;
  beforeAll(async () => {
    server = await startNatsServer();
    transport = jetstreamTransport({ servers: server.url, publishTimeoutMs: 500 });
  });
  afterAll(async () => {
    await transport?.close();
    await server?.stop();
  });

  it('publishing a subject no stream stores fails after the retries with a hint', async () => {
    const { descriptor } = freshEvent('nostream');
    const publisher = createPublisher({
      transport,
      source: 'svc',
      retry: { attempts: 2, initialDelayMs: 10 },
    });
    const error = await publisher
      .publish(descriptor, { thingId: 'x', seq: 1, note: '' })
      .catch((e: unknown) => e);
    expect(isPublishError(error)).toBe(true);
    expect((error as Error).message).toContain('after 2 attempt(s)');
    expect((error as Error).message).toContain('run eventkit provision');
  });

  it('consuming from a stream that does not exist says to provision first', async () => {
    const { descriptor } = freshEvent('nostream2');
    const router = createRouter({ transport, service: 'lost' }).handle(
      descriptor,
      fastConsumer,
      async () => {},
    );
    const error = await router.start().catch((e: unknown) => e);
    expect(isTransportError(error) && error.code).toBe('not-found');
    expect((error as Error).message).toMatch(/stream C\d+_NOSTREAM2.*eventkit provision/);
  });

  it('connecting to nothing is a TransportError (unavailable) naming the URL', async () => {
    const error = await connectNats({ servers: 'nats://127.0.0.1:1', connectTimeoutMs: 1_000 }).catch(
      (e: unknown) => e,
    );
    expect(isTransportError(error) && error.code).toBe('unavailable');
    expect((error as Error).message).toContain('nats://127.0.0.1:1');
  });
});
