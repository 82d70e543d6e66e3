// Major versions side by side: `orders.v1.OrderPlaced` and `orders.v2.OrderPlaced` are one event family.
// The one definition of "retirable" (`version-retirable`), shared by lint, `eventkit monitor` and
// `eventkit rollout`.
import type { EventModel, Registry } from './types.ts';

/** `orders.v1` + `OrderPlaced` → `orders.OrderPlaced`: the same event across its majors. */
export function eventFamily(event: Pick<EventModel, 'package' | 'name'>): string {
  return `${event.package.replace(/\.v\d+$/, '')}.${event.name}`;
}

/** Events (kind `event`) grouped by family, each group sorted by major. */
export function eventFamilies(registry: Registry): Map<string, EventModel[]> {
  const families = new Map<string, EventModel[]>();
  for (const event of registry.events) {
    if (event.kind !== 'event') continue;
    const key = eventFamily(event);
    families.set(key, [...(families.get(key) ?? []), event]);
  }
  for (const versions of families.values()) versions.sort((a, b) => a.major - b.major);
  return families;
}

/** The newest major of `event`'s family when it is newer than `event`. */
export function newerMajorOf(registry: Registry, event: EventModel): EventModel | undefined {
  const versions = eventFamilies(registry).get(eventFamily(event)) ?? [];
  const newest = versions[versions.length - 1];
  return newest && newest.major > event.major ? newest : undefined;
}

/** `version-retirable` holds: a newer major exists and no consumer reads this one any more. */
export function isRetirable(registry: Registry, event: EventModel): boolean {
  return (
    event.kind === 'event' && event.consumers.length === 0 && newerMajorOf(registry, event) !== undefined
  );
}
