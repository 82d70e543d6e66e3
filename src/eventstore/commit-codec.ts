// One commit (the events of one append) as bytes: a small protobuf message, so a JetStream message holds a
// whole commit and an append is atomic. Reflection-built: no generated code, no .proto file to ship.
import protobuf from 'protobufjs';
import { EventStoreError } from './errors.ts';
import type { NewEvent } from './types.ts';

const descriptor = {
  nested: {
    eventkit: {
      nested: {
        eventstore: {
          nested: {
            Commit: { fields: { events: { rule: 'repeated', type: 'Event', id: 1 } } },
            Event: {
              fields: {
                type: { type: 'string', id: 1 },
                data: { type: 'bytes', id: 2 },
                metadata: { keyType: 'string', type: 'string', id: 3 },
              },
            },
          },
        },
      },
    },
  },
} as protobuf.INamespace;
const root = protobuf.Root.fromJSON(descriptor);
const Commit = root.lookupType('eventkit.eventstore.Commit');

interface CommitShape {
  events: { type: string; data: Uint8Array; metadata: Record<string, string> }[];
}

export function encodeCommit(events: readonly NewEvent[]): Uint8Array {
  const shape: CommitShape = {
    events: events.map((e) => ({ type: e.type, data: e.data, metadata: { ...(e.metadata ?? {}) } })),
  };
  return Commit.encode(Commit.fromObject(shape)).finish();
}

export function decodeCommit(bytes: Uint8Array, where: string): CommitShape['events'] {
  try {
    const decoded = Commit.toObject(Commit.decode(bytes), { defaults: true, arrays: true, objects: true });
    return (decoded as CommitShape).events.map((e) => ({
      type: e.type,
      data: e.data instanceof Uint8Array ? e.data : new Uint8Array(e.data),
      metadata: e.metadata ?? {},
    }));
  } catch (error) {
    throw new EventStoreError(`${where}: not an eventkit commit (${(error as Error).message})`, {
      cause: error,
    });
  }
}
