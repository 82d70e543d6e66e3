// Re-export for tools and demos that want a throwaway local nats-server.
export { freePort, type NatsServer, type NatsServerOptions, startNatsServer } from '../nats-server.ts';
