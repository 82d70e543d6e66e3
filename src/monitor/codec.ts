// The codec of an event straight from the registry (the monitor has no generated code to import):
// the same runtime codecs generated descriptors use, built from the model's payload.
import type { EventModel } from '../model/types.ts';
import type { Codec } from '../runtime/api.ts';
import { jsonCodec } from '../runtime/codecs/json.ts';
import { protobufCodec } from '../runtime/codecs/protobuf.ts';

export function codecOfEvent(event: EventModel): Codec<unknown> {
  return event.payload.kind === 'protobuf'
    ? protobufCodec<unknown>(event.payload.descriptor, event.payload.messageType)
    : jsonCodec<unknown>(event.payload.jsonSchema, event.type);
}
