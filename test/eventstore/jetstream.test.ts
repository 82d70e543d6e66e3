import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createJetStreamEventStore } from '../../src/eventstore/index.ts';
import { type NatsServer, startNatsServer } from '../support/nats-server.ts';
import { eventStoreConformance } from './suite.ts';

eventStoreConformance('JetStream', async () => {
  const server: NatsServer = await startNatsServer();
  const connections: NatsConnection[] = [];
  const open = async () => {
    const nc = await connect({ servers: server.url });
    connections.push(nc);
    return createJetStreamEventStore({ connection: nc });
  };
  return {
    open,
    openAnother: open,
    async close() {
      for (const nc of connections) await nc.close();
      await server.stop();
    },
  };
});
