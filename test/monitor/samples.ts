// A publisher for the monitor tests: every event of the registry that has an example, sent as its
// declared sender would (valid), plus one message per violation kind, each with its own ce-id.
import { jetstream } from '@nats-io/jetstream';
import { type NatsConnection, headers as natsHeaders } from '@nats-io/nats-core';
import type { EventModel, Registry } from '../../src/model/index.ts';
import { codecOfEvent, type ViolationKind } from '../../src/monitor/index.ts';
import {
  createEnvelope,
  type EventDescriptor,
  type OutboundMessage,
  protoType,
} from '../../src/runtime/index.ts';

export function descriptorOf(event: EventModel): EventDescriptor<unknown> {
  return {
    type: event.type,
    kind: event.kind,
    context: event.context,
    name: event.name,
    major: event.major,
    subjectPattern: event.subjectPattern,
    subjectFilter: event.subjectFilter,
    ...(event.stream ? { stream: event.stream } : {}),
    ...(event.partitionKey ? { partitionKey: event.partitionKey } : {}),
    codec: codecOfEvent(event),
  };
}

export function examplePayload(event: EventModel): unknown {
  const example = event.examples[0];
  if (!example) throw new Error(`${event.type} has no example`);
  return codecOfEvent(event).fromJson(example.payload);
}

export async function publishRaw(nc: NatsConnection, msg: OutboundMessage): Promise<void> {
  const h = natsHeaders();
  for (const [k, v] of Object.entries(msg.headers)) h.set(k, v);
  await jetstream(nc).publish(msg.subject, msg.data, { headers: h, msgID: msg.id });
}

/** A valid message of `event` from its declared sender. */
export function validMessage(event: EventModel, payload = examplePayload(event)): OutboundMessage {
  return createEnvelope(descriptorOf(event), payload, { source: event.producer ?? event.context });
}

function withHeaders(
  msg: OutboundMessage,
  change: (h: Record<string, string>) => void,
  rest: Partial<OutboundMessage> = {},
): OutboundMessage {
  const headers = { ...msg.headers };
  change(headers);
  return { ...msg, ...rest, headers };
}

/** One wrong message of each kind the real documents can show (all but retired-version), keyed by ce-id. */
export function wrongMessages(
  registry: Registry,
): Map<string, { kind: ViolationKind; msg: OutboundMessage }> {
  const placed = registry.events.find((e) => e.type === 'orders.v1.OrderPlaced') as EventModel;
  const descriptor = descriptorOf(placed);
  const payload = examplePayload(placed) as { orderId: string };
  const fresh = (orderId: string, options: Parameters<typeof createEnvelope>[2] = {}) =>
    createEnvelope(descriptor, { ...payload, orderId }, { source: 'orders', ...options });
  const out = new Map<string, { kind: ViolationKind; msg: OutboundMessage }>();
  const add = (kind: ViolationKind, msg: OutboundMessage) => out.set(msg.id, { kind, msg });

  add(
    'unknown-type',
    withHeaders(fresh('ord_unknown'), (h) => {
      h['ce-type'] = 'orders.v1.OrderShipped';
    }),
  );
  add(
    'missing-header',
    withHeaders(fresh('ord_missing'), (h) => {
      delete h['ce-time'];
    }),
  );
  add(
    'malformed-header',
    withHeaders(fresh('ord_malformed'), (h) => {
      h.traceparent = 'not-a-trace';
    }),
  );
  const offAddress = fresh('ord_subject');
  add('subject-mismatch', { ...offAddress, subject: `${offAddress.subject}.extra` });
  add('undecodable', { ...fresh('ord_bytes'), data: new Uint8Array([0xff, 0xff, 0xff]) });
  if (placed.payload.kind !== 'protobuf') throw new Error('expected a protobuf payload');
  const type = protoType(placed.payload.descriptor, placed.payload.messageType);
  const huge = JSON.parse(JSON.stringify({ ...payload, orderId: 'ord_huge' })) as {
    total: { amountMinor: string | number };
  };
  huge.total.amountMinor = '9007199254740999999';
  add('invalid-payload', { ...fresh('ord_huge'), data: type.encode(type.fromObject(huge)).finish() });
  add('partition-key-mismatch', fresh('ord_key', { params: { orderId: 'ord_other' } }));
  add('wrong-source', fresh('ord_source', { source: 'payments' }));
  return out;
}
