// Test harness: each suite starts its OWN nats-server -js on a free loopback port with a temp store.
// `startNatsServer({ storeDir?, port? })` → `{ url, port, storeDir, stop(), kill('SIGKILL'), restart() }`.
export {
  freePort,
  type NatsServer,
  type NatsServerOptions,
  startNatsServer,
} from '../../src/runtime/nats-server.ts';
