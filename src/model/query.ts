// Lookups over a registry that every consumer of the model needs.
import { protocolOf } from './names.ts';
import type { EventModel, OperationModel, Registry, ServiceModel, StreamModel } from './types.ts';

export function eventByType(registry: Registry, type: string): EventModel | undefined {
  return registry.events.find((e) => e.type === type);
}

export function serviceById(registry: Registry, id: string): ServiceModel | undefined {
  return registry.services.find((s) => s.id === id);
}

export function operationById(registry: Registry, id: string): OperationModel | undefined {
  return registry.operations.find((o) => o.id === id);
}

/** Operations of a service (sorted by id). */
export function operationsOf(registry: Registry, service: string | ServiceModel): OperationModel[] {
  const id = typeof service === 'string' ? service : service.id;
  return registry.operations.filter((o) => o.service === id);
}

/** Receive operations (durable consumers, or responders for request/reply) of an event type. */
export function consumersOf(registry: Registry, type: string): OperationModel[] {
  return registry.operations.filter((o) => o.action === 'receive' && o.eventTypes.includes(type));
}

/** Send operations of an event type. */
export function producersOf(registry: Registry, type: string): OperationModel[] {
  return registry.operations.filter((o) => o.action === 'send' && o.eventTypes.includes(type));
}

/** Events (kind `event`) a service publishes. */
export function eventsPublishedBy(registry: Registry, service: string): EventModel[] {
  const types = new Set(
    operationsOf(registry, service)
      .filter((o) => o.action === 'send' && !o.requestReply)
      .flatMap((o) => o.eventTypes),
  );
  return registry.events.filter((e) => types.has(e.type));
}

/** Events (kind `event`) a service consumes. */
export function eventsConsumedBy(registry: Registry, service: string): EventModel[] {
  const types = new Set(
    operationsOf(registry, service)
      .filter((o) => o.action === 'receive' && !o.requestReply)
      .flatMap((o) => o.eventTypes),
  );
  return registry.events.filter((e) => types.has(e.type));
}

export function eventsOfContext(registry: Registry, context: string): EventModel[] {
  return registry.events.filter((e) => e.context === context);
}

export function streamByName(registry: Registry, name: string): StreamModel | undefined {
  return registry.streams.find((s) => s.name === name);
}

/** The stream storing an event type (undefined for commands, queries and replies). */
export function streamOf(registry: Registry, type: string): StreamModel | undefined {
  const event = eventByType(registry, type);
  return event?.stream ? streamByName(registry, event.stream) : undefined;
}

/** Durable consumers (receive operations on events) grouped by stream name. */
export function durablesByStream(registry: Registry): Map<string, OperationModel[]> {
  const out = new Map<string, OperationModel[]>();
  for (const op of registry.operations) {
    if (!op.durable) continue;
    const stream = op.eventTypes.map((t) => eventByType(registry, t)?.stream).find(Boolean);
    if (!stream) continue;
    out.set(stream, [...(out.get(stream) ?? []), op]);
  }
  return out;
}

/** Bounded contexts, sorted. */
export function contexts(registry: Registry): string[] {
  return [
    ...new Set([...registry.services.map((s) => s.context), ...registry.events.map((e) => e.context)]),
  ].sort();
}

/** The protocol of a service (from its servers; `nats` without servers). */
export function serviceProtocol(registry: Registry, service: string | ServiceModel): string {
  const model = typeof service === 'string' ? serviceById(registry, service) : service;
  return protocolOf(model?.servers ?? []);
}

/** The protocol an event travels on: its producer's, else its first consumer's, else `nats`. */
export function eventProtocol(registry: Registry, event: EventModel): string {
  const owner = event.producer ?? event.consumers[0];
  return owner === undefined ? 'nats' : serviceProtocol(registry, owner);
}
