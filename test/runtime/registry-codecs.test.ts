// Cross-check with the registry (src/model): for every protobuf event of the project, the runtime
// codec's JSON view fits the JSON Schema the model derives for it, the documents' examples parse and
// round-trip, and random values survive bytes and JSON.
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import protobuf from 'protobufjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, loadRegistry } from '../../src/model/index.ts';
import type { EventModel, Registry } from '../../src/model/types.ts';
import { protobufCodec, protoType } from '../../src/runtime/index.ts';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  a: Ajv,
) => Ajv;
const root = fileURLToPath(new URL('../../', import.meta.url));

/** Seeded random value of any message type in the runtime shape (depth-limited for recursive types). */
function randomValue(type: protobuf.Type, next: () => number, depth = 0): Record<string, unknown> {
  const int = (min: number, max: number) => Math.floor(min + next() * (max - min + 1));
  const scalar = (field: protobuf.Field): unknown => {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Enum) {
      const names = Object.keys(resolved.values);
      return names[int(0, names.length - 1)];
    }
    if (resolved instanceof protobuf.Type) return randomValue(resolved, next, depth + 1);
    switch (field.type) {
      case 'string':
        return `s${int(0, 999)}`;
      case 'bool':
        return next() < 0.5;
      case 'bytes':
        return new Uint8Array([int(0, 255), int(0, 255)]);
      case 'double':
      case 'float':
        return int(-1000, 1000) / 4;
      case 'uint32':
      case 'fixed32':
      case 'uint64':
      case 'fixed64':
        return int(0, 100000);
      default:
        return int(-100000, 100000);
    }
  };
  const out: Record<string, unknown> = {};
  const chosenOneof = new Set<string>();
  for (const field of type.fieldsArray) {
    if (field.partOf) {
      if (chosenOneof.has(field.partOf.name) || next() < 0.5) continue;
      chosenOneof.add(field.partOf.name);
    }
    const isMessage = field.resolvedType instanceof protobuf.Type;
    if (field.map) out[field.name] = depth > 2 ? {} : { k1: scalar(field) };
    else if (field.repeated) out[field.name] = depth > 2 ? [] : [scalar(field), scalar(field)];
    else if (isMessage) {
      if (depth <= 2 && next() < 0.8) out[field.name] = scalar(field);
    } else out[field.name] = scalar(field);
  }
  if (type.fullName === '.google.protobuf.Timestamp')
    return { seconds: int(0, 2_000_000_000), nanos: int(0, 999) * 1_000_000 };
  if (type.fullName === '.google.protobuf.Duration')
    return { seconds: int(0, 10_000), nanos: int(0, 999) * 1_000_000 };
  return out;
}

describe('runtime codecs against the project registry', () => {
  let registry: Registry;
  let events: EventModel[];
  beforeAll(async () => {
    const { config } = await loadConfig(root);
    registry = (await loadRegistry(config)).registry;
    events = registry.events.filter((e) => e.payload.kind === 'protobuf');
  });

  it('finds the project events', () => {
    expect(events.length).toBeGreaterThan(5);
  });

  it("emits a JSON view that fits the model's JSON Schema for every event (50 random values each)", () => {
    const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const failures: string[] = [];
    for (const event of events) {
      if (event.payload.kind !== 'protobuf') continue;
      const codec = protobufCodec<Record<string, unknown>>(
        event.payload.descriptor,
        event.payload.messageType,
      );
      const type = protoType(event.payload.descriptor, event.payload.messageType);
      const validate = ajv.compile(event.payload.jsonSchema as Record<string, unknown>);
      for (let i = 0; i < 50; i++) {
        const value = randomValue(type, next);
        expect(codec.validate(value), `${event.type} run ${i}`).toEqual([]);
        const decoded = codec.decode(codec.encode(value));
        const json = codec.toJson(decoded);
        if (!validate(json))
          failures.push(`${event.type}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(json)}`);
        expect(codec.fromJson(JSON.parse(JSON.stringify(json))), `${event.type} run ${i}`).toEqual(decoded);
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('parses every example of the AsyncAPI documents and round-trips it', () => {
    let examples = 0;
    for (const event of events) {
      if (event.payload.kind !== 'protobuf') continue;
      const codec = protobufCodec<Record<string, unknown>>(
        event.payload.descriptor,
        event.payload.messageType,
      );
      for (const example of event.examples) {
        examples++;
        const value = codec.fromJson(example.payload);
        expect(codec.decode(codec.encode(value)), `${event.type} example ${example.name}`).toEqual(value);
        expect(codec.fromJson(codec.toJson(value))).toEqual(value);
      }
    }
    expect(examples).toBeGreaterThan(0);
  });
});
