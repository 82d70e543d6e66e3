// The transports: JetStream (production) and the in-memory broker (tests, single-process demos).
export {
  connectNats,
  type JetStreamTransportOptions,
  jetstreamFeatures,
  jetstreamTransport,
  toTransportError,
} from './jetstream.ts';
export { createMemoryBroker, MemoryBroker, memoryFeatures, memoryTransport } from './memory.ts';
