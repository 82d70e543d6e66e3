// Event-sourcing events as protobuf messages of the service's own protos, encoded by the runtime's codec.
import type { Codec } from '../runtime/api.ts';
import { protobufCodec } from '../runtime/codecs/protobuf.ts';
import { EventStoreError } from './errors.ts';
import type { DomainEvent, EventCodec } from './repository.ts';

/**
 * A codec for the domain events named in `types` (proto full names in `descriptor`, a protobufjs JSON
 * descriptor such as the generated code's). Values have the runtime's proto shape.
 */
export function protobufEvents<E extends DomainEvent>(
  descriptor: Readonly<Record<string, unknown>>,
  types: readonly E['type'][],
): EventCodec<E> {
  const codecs = new Map<string, Codec<unknown>>(
    types.map((t) => [t, protobufCodec<unknown>(descriptor, t)]),
  );
  const codecOf = (type: string): Codec<unknown> => {
    const codec = codecs.get(type);
    if (!codec)
      throw new EventStoreError(`event type ${type} is not one of this aggregate's: ${types.join(', ')}`);
    return codec;
  };
  return {
    encode: (event) => ({ type: event.type, data: codecOf(event.type).encode(event.value) }),
    decode: (type, data) => ({ type, value: codecOf(type).decode(data) }) as E,
    knows: (type) => codecs.has(type),
  };
}
