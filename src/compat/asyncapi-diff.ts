// AsyncAPI-level changes between two registries: channels, messages, operations, headers, streams, durables.
// Payload internals are judged elsewhere (buf for protobuf, json-schema-compat for JSON Schema).
import { isDeepStrictEqual } from 'node:util';
import type { EventModel, Registry } from '../model/types.ts';
import { diffHeaders } from './header-diff.ts';
import { diffOperations } from './operation-diff.ts';
import { eventByType, newMajorFix, operationsFor } from './registry-lookup.ts';
import { diffStreams } from './stream-diff.ts';
import type { ChangeDraft } from './types.ts';

export function diffAsyncApi(base: Registry, head: Registry): ChangeDraft[] {
  const out: ChangeDraft[] = [];
  const baseEvents = eventByType(base);
  const headEvents = eventByType(head);
  const headAddresses = new Set([
    ...head.events.map((e) => e.subjectPattern),
    ...head.operations.map((o) => o.channelAddress),
  ]);
  const renamedTo = new Map<string, EventModel>();

  for (const before of base.events) {
    const after = headEvents.get(before.type);
    if (after !== undefined) {
      diffEvent(before, after, base, head, out);
      continue;
    }
    // Same channel, different type: the payload message was renamed or swapped (event type = proto full name).
    const successor = head.events.find(
      (e) => !baseEvents.has(e.type) && e.subjectPattern === before.subjectPattern && !renamedTo.has(e.type),
    );
    if (successor !== undefined) {
      renamedTo.set(successor.type, before);
      out.push({
        ruleId: 'payload-type-changed',
        source: 'asyncapi',
        class: 'breaking',
        event: before.type,
        message: `channel \`${before.subjectPattern}\` now carries \`${successor.type}\` instead of \`${before.type}\` (renamed or replaced payload message; the event type and ce-type change)`,
        location: successor.location,
        deployOrder: 'new-major',
        fix: `keep \`${before.type}\` unchanged; ${newMajorFix(before)}`,
      });
      continue;
    }
    const channelGone = !headAddresses.has(before.subjectPattern);
    out.push({
      ruleId: channelGone ? 'channel-removed' : 'message-removed',
      source: 'asyncapi',
      class: 'breaking',
      event: before.type,
      message: channelGone
        ? `channel \`${before.subjectPattern}\` and its message \`${before.type}\` were removed`
        : `message \`${before.type}\` was removed from channel \`${before.subjectPattern}\``,
      location: before.location,
      deployOrder: 'consumers-first',
      fix: 'deprecate it first (`deprecated: true`), keep publishing until no consumer receives it, remove the consumers, then the producer',
    });
  }

  for (const after of head.events) {
    if (baseEvents.has(after.type) || renamedTo.has(after.type)) continue;
    const sibling = base.events.find(
      (e) => e.context === after.context && e.name === after.name && e.major !== after.major,
    );
    out.push({
      ruleId: 'event-added',
      source: 'asyncapi',
      class: 'non-breaking',
      event: after.type,
      message:
        sibling === undefined
          ? `new ${after.kind} \`${after.type}\` on \`${after.subjectPattern}\``
          : `new major \`${after.type}\` on \`${after.subjectPattern}\`, side by side with \`${sibling.type}\``,
      location: after.location,
      deployOrder: 'any',
    });
  }

  diffOperations(base, head, out);
  diffStreams(base.streams, head.streams, out);
  return out;
}

function diffEvent(
  before: EventModel,
  after: EventModel,
  base: Registry,
  head: Registry,
  out: ChangeDraft[],
): void {
  const common = { source: 'asyncapi' as const, event: after.type, location: after.location };
  const breaking = (
    ruleId: string,
    message: string,
    fix = newMajorFix(before),
    deployOrder: ChangeDraft['deployOrder'] = 'new-major',
  ) => out.push({ ...common, ruleId, class: 'breaking', message, deployOrder, fix });
  const nonBreaking = (ruleId: string, message: string, deployOrder: ChangeDraft['deployOrder'] = 'any') =>
    out.push({ ...common, ruleId, class: 'non-breaking', message, deployOrder });

  if (before.kind !== after.kind)
    breaking('message-kind-changed', `\`${after.type}\` changed from ${before.kind} to ${after.kind}`);

  // Channel changes point at the address in the document, where the loader knows it.
  const channel = (ruleId: string, message: string, fix = newMajorFix(before)) =>
    out.push({
      ...common,
      location: after.channelLocation ?? after.location,
      ruleId,
      class: 'breaking',
      message,
      deployOrder: 'new-major',
      fix,
    });
  if (before.subjectPattern !== after.subjectPattern) {
    const change = addressChange(before.subjectPattern, after.subjectPattern, before.subjectFilter, before);
    channel(change.ruleId, change.message, change.fix);
  } else if (before.partitionKey !== undefined && after.partitionKey === undefined) {
    channel(
      'channel-parameter-removed',
      `channel parameter \`${before.partitionKey.parameter}\` was removed`,
    );
  }
  if (
    before.partitionKey?.field !== undefined &&
    after.partitionKey !== undefined &&
    before.partitionKey.field !== after.partitionKey.field
  ) {
    channel(
      'channel-parameter-changed',
      `channel parameter \`${after.partitionKey.parameter}\` now takes its value from \`${after.partitionKey.field ?? '?'}\` instead of \`${before.partitionKey.field}\`: subjects (and per-aggregate order) change`,
    );
  }

  diffFurtherChannels(before, after, out, common);

  if (before.contentType !== after.contentType) {
    breaking(
      'content-type-changed',
      `content type changed from ${before.contentType} to ${after.contentType}`,
    );
  }

  const payloadName = (e: EventModel) =>
    e.payload.kind === 'protobuf'
      ? e.payload.messageType
      : e.payload.kind === 'avro'
        ? 'Avro'
        : 'JSON Schema';
  if (before.payload.kind !== after.payload.kind || payloadName(before) !== payloadName(after)) {
    breaking(
      'payload-type-changed',
      `payload changed from ${before.payload.kind} \`${payloadName(before)}\` to ${after.payload.kind} \`${payloadName(after)}\``,
    );
  }

  if ((before.replyType ?? '') !== (after.replyType ?? '')) {
    breaking(
      'reply-type-changed',
      `reply type changed from \`${before.replyType ?? 'none'}\` to \`${after.replyType ?? 'none'}\``,
    );
  }

  if ((before.stream ?? '') !== (after.stream ?? '')) {
    breaking(
      'stream-changed',
      `stored in stream \`${after.stream ?? 'none'}\` instead of \`${before.stream ?? 'none'}\`; durable consumers are bound to their stream`,
    );
  }

  diffHeaders(before.headers, after.headers, before, breaking, nonBreaking);

  if (!before.deprecated && after.deprecated)
    nonBreaking('event-deprecated', `\`${after.type}\` is now deprecated`);

  const baseSenders = new Set(operationsFor(base, before.type, 'send').map((o) => o.service));
  const headSenders = new Set(operationsFor(head, after.type, 'send').map((o) => o.service));
  const headReceivers = operationsFor(head, after.type, 'receive').map((o) => o.service);
  if (baseSenders.size > 0 && headSenders.size === 0) {
    const stillReceived = headReceivers.length > 0;
    out.push({
      ...common,
      ruleId: 'send-operation-removed',
      class: stillReceived ? 'breaking' : 'non-breaking',
      message: stillReceived
        ? `no service sends \`${after.type}\` any more, but ${[...new Set(headReceivers)].sort().join(', ')} still receive it`
        : `no service sends \`${after.type}\` any more (no consumer receives it either)`,
      deployOrder: 'consumers-first',
      fix: stillReceived ? 'remove the receive operations first, or keep publishing' : undefined,
    });
  } else if (
    headSenders.size > 0 &&
    !isDeepStrictEqual([...baseSenders].sort(), [...headSenders].sort()) &&
    baseSenders.size > 0
  ) {
    nonBreaking(
      'producer-changed',
      `sent by ${[...headSenders].sort().join(', ')} instead of ${[...baseSenders].sort().join(', ')} (ce-source changes)`,
    );
  }
}

const params = (s: string) => [...s.matchAll(/\{([^}]*)\}/g)].map((m) => m[1] ?? '');

/** How an address change is classified: a renamed parameter, a lost parameter, or a new address. */
function addressChange(
  from: string,
  to: string,
  filter: string,
  event: EventModel,
): { ruleId: string; message: string; fix: string } {
  const shape = (s: string) => s.replace(/\{[^}]*\}/g, '{}');
  const lost = params(from).filter((p) => !params(to).includes(p));
  if (shape(from) === shape(to))
    return {
      ruleId: 'channel-parameter-renamed',
      message: `channel parameter renamed: \`${from}\` → \`${to}\` (generated publishers and subscribers change signature)`,
      fix: `keep the parameter name of \`${from}\`, or ${newMajorFix(event)}`,
    };
  if (params(to).length < params(from).length)
    return {
      ruleId: 'channel-parameter-removed',
      message: `channel parameter(s) ${lost.map((p) => `\`${p}\``).join(', ')} removed: \`${from}\` → \`${to}\`; subjects lose their partition key`,
      fix: newMajorFix(event),
    };
  return {
    ruleId: 'channel-address-changed',
    message: `channel address changed: \`${from}\` → \`${to}\`${filter ? `; consumers filtering \`${filter}\` stop receiving it` : ''}`,
    fix: newMajorFix(event),
  };
}

/**
 * The channels of a message beyond its first (a message referenced by several channels): each keeps its
 * own address. A channel whose address is gone is matched to its successor by the operations it carries.
 */
function diffFurtherChannels(
  before: EventModel,
  after: EventModel,
  out: ChangeDraft[],
  common: { source: 'asyncapi'; event: string; location: EventModel['location'] },
): void {
  const afterAddresses = new Set(after.channels.map((c) => c.address));
  const beforeAddresses = new Set(before.channels.map((c) => c.address));
  for (const channel of before.channels) {
    if (channel.address === before.subjectPattern || afterAddresses.has(channel.address)) continue;
    const successor = after.channels.find(
      (c) =>
        c.address !== after.subjectPattern &&
        !beforeAddresses.has(c.address) &&
        c.operations.some((op) => channel.operations.includes(op)),
    );
    if (successor) {
      const change = addressChange(channel.address, successor.address, channel.subjectFilter, before);
      out.push({
        ...common,
        location: successor.location ?? after.location,
        ruleId: change.ruleId,
        class: 'breaking',
        message: change.message,
        deployOrder: 'new-major',
        fix: change.fix,
      });
    } else {
      out.push({
        ...common,
        ruleId: 'channel-removed',
        class: 'breaking',
        message: `channel \`${channel.address}\` no longer carries \`${before.type}\` (${channel.operations.join(', ') || 'no operation'})`,
        deployOrder: 'consumers-first',
        fix: 'deprecate the channel first, keep publishing until no consumer receives it, remove the consumers, then the producer',
      });
    }
  }
}
