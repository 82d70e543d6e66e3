// Event types and helpers shared by the conformance suite and the runtime tests.
import protobuf from 'protobufjs';
import { type EventDescriptor, protobufCodec, type StreamSpec, streamSpec } from '../../src/runtime/index.ts';

const PROTO = `
syntax = "proto3";
package conformance.v1;
import "google/protobuf/timestamp.proto";

message ThingHappened {
  string thing_id = 1;
  int64 seq = 2;
  string note = 3;
  google.protobuf.Timestamp at = 4;
}

message GetThing { string thing_id = 1; }
message GetThingReply { string thing_id = 1; string note = 2; }
`;

/** protobufjs JSON descriptor with .proto field names (as the registry stores it). */
export const conformanceDescriptor = protobuf.parse(PROTO, { keepCase: true }).root.toJSON() as Record<
  string,
  unknown
>;

export interface ThingHappened {
  thingId: string;
  seq: number;
  note: string;
  at?: { seconds: number; nanos: number };
}

export interface GetThing {
  thingId: string;
}
export interface GetThingReply {
  thingId: string;
  note: string;
}

let counter = 0;

/** A fresh event type on its own stream, so tests never see each other's messages. */
export function freshEvent(label = 'thing'): {
  descriptor: EventDescriptor<ThingHappened>;
  stream: StreamSpec;
} {
  const n = ++counter;
  const context = `c${n}${label.replace(/[^a-z0-9]/g, '')}`;
  const stream = streamSpec(
    `C${n}_${label.toUpperCase().replace(/[^A-Z0-9]/g, '')}`,
    [`${context}.thing-happened.v1.>`],
    {
      storage: 'file',
      duplicateWindowMs: 60_000,
    },
  );
  const descriptor: EventDescriptor<ThingHappened> = {
    type: 'conformance.v1.ThingHappened',
    kind: 'event',
    context,
    name: 'ThingHappened',
    major: 1,
    subjectPattern: `${context}.thing-happened.v1.{thingId}`,
    subjectFilter: `${context}.thing-happened.v1.>`,
    stream: stream.name,
    partitionKey: { parameter: 'thingId', field: 'thingId' },
    codec: protobufCodec<ThingHappened>(conformanceDescriptor, 'conformance.v1.ThingHappened'),
  };
  return { descriptor, stream };
}

export function requestDescriptors(label: string): {
  request: EventDescriptor<GetThing>;
  reply: EventDescriptor<GetThingReply>;
} {
  const subject = `query.conformance.${label}.get-thing.v1`;
  return {
    request: {
      type: 'conformance.v1.GetThing',
      kind: 'query',
      context: 'conformance',
      name: 'GetThing',
      major: 1,
      subjectPattern: subject,
      subjectFilter: subject,
      codec: protobufCodec<GetThing>(conformanceDescriptor, 'conformance.v1.GetThing'),
    },
    reply: {
      type: 'conformance.v1.GetThingReply',
      kind: 'query',
      context: 'conformance',
      name: 'GetThingReply',
      major: 1,
      subjectPattern: subject,
      subjectFilter: subject,
      codec: protobufCodec<GetThingReply>(conformanceDescriptor, 'conformance.v1.GetThingReply'),
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll until `check` returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(10);
  }
  throw new Error(`timed out waiting for: ${what}`);
}

/** Short, test-friendly consumer settings (backoff must be shorter than maxDeliver). */
export const fastConsumer = {
  ackWaitMs: 2_000,
  maxDeliver: 3,
  // With a backoff the server's ack wait is backoff[0]; keep it well above event-loop hiccups.
  backoffMs: [100, 200],
  maxAckPending: 100,
  ordered: false,
  deliverPolicy: 'all',
} as const;
