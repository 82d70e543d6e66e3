// Rules about major versions side by side: a new major (`orders.v2.OrderPlaced`) is published next to
// the old one during a migration window, and the old one should go once nobody reads it any more.
import { diagnostic } from '../diagnostics.ts';
import type { Diagnostic, EventModel, Registry, SourceLocation } from '../types.ts';
import { eventFamilies } from '../versions.ts';
import type { DesignRule } from './context.ts';

/** Where retiring starts: the producer's send operation of the old version, else the message definition. */
function retireAt(registry: Registry, event: EventModel): SourceLocation {
  const send = registry.operations.find(
    (o) =>
      o.action === 'send' &&
      !o.requestReply &&
      o.eventTypes.includes(event.type) &&
      o.service === event.producer,
  );
  return send?.location ?? event.location;
}

/**
 * `version-retirable`: an event type that has a newer major in the registry and no consumers left can be
 * retired (warning). While both majors still have consumers, an info note names who still reads the old one.
 */
export const versionRetirable: DesignRule = (registry) => {
  const families = eventFamilies(registry);
  const out: Diagnostic[] = [];
  for (const versions of families.values()) {
    if (versions.length < 2) continue;
    const newest = versions.reduce((a, b) => (b.major > a.major ? b : a));
    for (const old of versions) {
      if (old.major >= newest.major || !old.producer) continue;
      if (old.consumers.length === 0) {
        out.push(
          diagnostic(
            'version-retirable',
            `${old.type} has a newer major (${newest.type}) and no consumers left: it can be retired`,
            retireAt(registry, old),
            {
              severity: 'warning',
              hint: `Stop publishing it in ${old.producer} (drop this send operation, its channel and message), then the code that builds it; keep the proto package until no stored message needs decoding.`,
            },
          ),
        );
      } else if (newest.consumers.length > 0) {
        out.push(
          diagnostic(
            'version-retirable',
            `${old.type} and ${newest.type} are both consumed; ${old.type} is still read by ${old.consumers.join(', ')}`,
            retireAt(registry, old),
            {
              severity: 'info',
              hint: `Move ${old.consumers.join(', ')} to ${newest.type}; then ${old.type} can be retired.`,
            },
          ),
        );
      }
    }
  }
  return out;
};
