import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { syntheticRegistry } from '../../tools/synthetic/registry.ts';

// The benchmarks and catalog tests trust the synthetic registries to be valid contracts; every size must be.
describe('synthetic registries', () => {
  for (const services of [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 40]) {
    it(`${services} services: every proto parses and every event's field names and numbers are unique`, () => {
      const registry = syntheticRegistry({ services, events: services * 10, consumersPerEvent: 2 });
      expect(registry.events.length).toBe(services * 10);
      const root = new protobuf.Root();
      for (const file of registry.protoFiles) {
        expect(() => protobuf.parse(file.source, root, { keepCase: true }), file.file).not.toThrow();
      }
      for (const event of registry.events) {
        const names = event.payload.fields.map((f) => f.name);
        const numbers = event.payload.fields.map((f) => f.number);
        expect(new Set(names).size, `${event.type} field names`).toBe(names.length);
        expect(new Set(numbers).size, `${event.type} field numbers`).toBe(numbers.length);
      }
    });
  }
});
