// Helpers for tests, tools and demos.
export { freePort, type NatsServer, type NatsServerOptions, startNatsServer } from './nats-server.ts';
