// Who a change hurts: receive operations in head and base, and pact interactions whose body carries a
// changed field.
import { SchemaValidators } from '../contracts/cross-check.ts';
import type { Registry } from '../model/types.ts';
import { bodyTouches, interactionIsFor, type PactInteraction } from './pacts.ts';
import { consumingOperations } from './registry-lookup.ts';
import type { AffectedConsumer, ChangeDraft } from './types.ts';

// One validator cache per registry: head and base may give one event type different schemas.
const validators = new WeakMap<Registry, SchemaValidators>();
function validatorsOf(registry: Registry): SchemaValidators {
  let found = validators.get(registry);
  if (found === undefined) {
    found = new SchemaValidators();
    validators.set(registry, found);
  }
  return found;
}

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
      // A pact may be written against either side (an old subject, a body without a removed field).
      const isFor = [head, base].some((side) => {
        if (!side.events.some((e) => e.type === eventType)) return false;
        const validators = validatorsOf(side);
        return interactionIsFor(interaction, event, side, (e, body) => validators.fits(e, body));
      });
      if (!isFor) continue;
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
