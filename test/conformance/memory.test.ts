import { createMemoryBroker, memoryFeatures, memoryTransport } from '../../src/runtime/index.ts';
import { transportConformance } from './suite.ts';

transportConformance('memory', async () => {
  const broker = createMemoryBroker();
  return {
    features: memoryFeatures,
    connect: async () => memoryTransport(broker),
    teardown: async () => broker.shutdown(),
  };
});
