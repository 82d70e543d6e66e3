import { jetstreamFeatures, jetstreamTransport } from '../../src/runtime/index.ts';
import { startNatsServer } from '../support/nats-server.ts';
import { transportConformance } from './suite.ts';

transportConformance('jetstream', async () => {
  const server = await startNatsServer();
  return {
    features: jetstreamFeatures,
    connect: async () => jetstreamTransport({ servers: server.url, publishTimeoutMs: 2_000 }),
    restartBroker: async () => {
      await server.kill('SIGKILL');
      await server.restart();
    },
    teardown: () => server.stop(),
  };
});
