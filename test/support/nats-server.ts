// Test harness: each suite starts its OWN nats-server -js on a free loopback port with a temp store.
// `startNatsServer({ storeDir?, port? })` → `{ url, port, storeDir, stop(), kill('SIGKILL'), restart() }`;
// `startNatsCluster({ size: 3 })` → routed servers n1…n3 (each a NatsServer plus pause()/resume()) and `url`,
// all client URLs comma-separated; it resolves once the JetStream meta leader is elected.

export {
  type ClusterServer,
  type NatsCluster,
  type NatsClusterOptions,
  startNatsCluster,
} from '../../src/runtime/nats-cluster.ts';
export {
  freePort,
  type NatsServer,
  type NatsServerOptions,
  startNatsServer,
} from '../../src/runtime/nats-server.ts';
