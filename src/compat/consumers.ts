// Who a change hurts: receive operations in head and base, and pact interactions whose body carries a
// changed field.
import type { Registry } from '../model/types.ts';
import { bodyTouches, interactionIsFor, type PactInteraction } from './pacts.ts';
import { consumingOperations } from './registry-lookup.ts';
import type { AffectedConsumer, ChangeDraft } from './types.ts';

export function affectedConsumers(
  change: ChangeDraft,
  base: Registry,
  head: Registry,
  pacts: readonly PactInteraction[],
): AffectedConsumer[] {
  const out: AffectedConsumer[] = [];
  const seen = new Set<string>();
  const add = (c: AffectedConsumer) => {
    const key = `${c.via} ${c.name} ${c.detail ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(c);
  };
  const eventTypes = change.event !== undefined ? [change.event] : eventsOfStream(change.stream, base);
  for (const eventType of eventTypes) {
    for (const op of consumingOperations(head, eventType))
      add({ name: op.service, via: 'asyncapi-head', detail: op.operationId });
    for (const op of consumingOperations(base, eventType))
      add({ name: op.service, via: 'asyncapi-base', detail: op.operationId });
    const event =
      head.events.find((e) => e.type === eventType) ?? base.events.find((e) => e.type === eventType);
    if (event === undefined) continue;
    for (const interaction of pacts) {
      if (!interactionIsFor(interaction, event, head.events.includes(event) ? head : base)) continue;
      const paths = change.fieldPaths ?? [''];
      if (paths.some((p) => bodyTouches(interaction.body, p))) {
        add({ name: interaction.consumer, via: 'pact', detail: interaction.description });
      }
    }
  }
  return out;
}

function eventsOfStream(stream: string | undefined, registry: Registry): string[] {
  if (stream === undefined) return [];
  return registry.events.filter((e) => e.stream === stream).map((e) => e.type);
}

/** Distinct consumer names, sorted. */
export function consumerNames(consumers: readonly AffectedConsumer[]): string[] {
  return [...new Set(consumers.map((c) => c.name))].sort();
}
