// Protobuf payloads: binary on the wire, the runtime value shape in code, the canonical JSON view in
// contracts (see json-view.ts for both shapes).
import type protobuf from 'protobufjs';
import type { Codec } from '../api.ts';
import { DecodeError, SchemaError } from '../errors.ts';
import { checkValue, encodesDirectly, fromJsonView, messageToJson, normalizeDecoded } from './json-view.ts';
import { loadRoot } from './proto-root.ts';

const TO_OBJECT: protobuf.IConversionOptions = {
  longs: Number,
  enums: String,
  defaults: true,
  arrays: true,
  objects: true,
};

/** The message type `messageType` (e.g. `orders.v1.OrderPlaced`) of a protobufjs JSON descriptor. */
export function protoType(descriptor: Readonly<Record<string, unknown>>, messageType: string): protobuf.Type {
  return loadRoot(descriptor).lookupType(messageType.startsWith('.') ? messageType : `.${messageType}`);
}

export function protobufCodec<T>(
  descriptor: Readonly<Record<string, unknown>>,
  messageType: string,
): Codec<T> {
  // Resolve lazily so importing generated code never fails at module load.
  let type: protobuf.Type | undefined;
  // Without enums the runtime value already is what protobufjs encodes; skip fromObject (a copy).
  let direct = false;
  const resolve = (): protobuf.Type => {
    if (!type) {
      type = protoType(descriptor, messageType);
      direct = encodesDirectly(type);
    }
    return type;
  };
  return {
    contentType: 'application/protobuf',
    encode(value: T): Uint8Array {
      const t = resolve();
      try {
        return t
          .encode(
            direct ? (value as Record<string, unknown>) : t.fromObject(value as Record<string, unknown>),
          )
          .finish();
      } catch (error) {
        throw new SchemaError(messageType, [(error as Error).message], { cause: error });
      }
    },
    decode(bytes: Uint8Array): T {
      const t = resolve();
      let message: protobuf.Message;
      try {
        message = t.decode(bytes);
      } catch (error) {
        throw new DecodeError(messageType, (error as Error).message, { cause: error });
      }
      return normalizeDecoded(t, t.toObject(message, TO_OBJECT)) as T;
    },
    toJson(value: T): unknown {
      return messageToJson(resolve(), value as Record<string, unknown>);
    },
    fromJson(json: unknown): T {
      const { value, problems } = fromJsonView(resolve(), json);
      if (!value) throw new SchemaError(messageType, problems);
      return value as T;
    },
    validate(value: unknown): readonly string[] {
      return checkValue(resolve(), value);
    },
  };
}
