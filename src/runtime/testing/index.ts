// Helpers for tests, tools and demos.

export {
  type ClusterServer,
  type NatsCluster,
  type NatsClusterOptions,
  startNatsCluster,
} from '../nats-cluster.ts';
export { freePort, type NatsServer, type NatsServerOptions, startNatsServer } from './nats-server.ts';
