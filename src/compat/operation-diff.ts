// Operation changes: receive operations removed or added, durables renamed, deliver policies changed.
import { isDeepStrictEqual } from 'node:util';
import type { Registry } from '../model/types.ts';
import type { ChangeDraft } from './types.ts';

export function diffOperations(base: Registry, head: Registry, out: ChangeDraft[]): void {
  const headEventTypes = new Set(head.events.map((e) => e.type));
  const key = (service: string, eventType: string) => `${service} ${eventType}`;
  const headReceives = new Map<string, (typeof head.operations)[number]>();
  for (const op of head.operations) {
    if (op.action !== 'receive') continue;
    for (const t of op.eventTypes) headReceives.set(key(op.service, t), op);
  }
  const baseReceives = new Set<string>();
  for (const op of base.operations) {
    if (op.action !== 'receive') continue;
    for (const eventType of op.eventTypes) {
      baseReceives.add(key(op.service, eventType));
      const after =
        headReceives.get(key(op.service, eventType)) ?? head.operations.find((o) => o.id === op.id);
      if (after === undefined || !after.eventTypes.includes(eventType)) {
        if (!headEventTypes.has(eventType)) continue; // reported with the removed event
        out.push({
          ruleId: 'receive-operation-removed',
          source: 'asyncapi',
          class: 'non-breaking',
          event: eventType,
          message: `${op.service} no longer receives \`${eventType}\` (operation \`${op.operationId}\`); delete its durable \`${op.durable ?? '?'}\` after deploying (\`eventkit provision --prune\`)`,
          location: op.location,
          deployOrder: 'any',
        });
        continue;
      }
      if (op.durable !== undefined && after.durable !== op.durable) {
        out.push({
          ruleId: 'durable-renamed',
          source: 'asyncapi',
          class: 'breaking',
          event: eventType,
          message: `durable of ${op.service} for \`${eventType}\` renamed \`${op.durable}\` → \`${after.durable ?? 'none'}\`; a new durable redelivers the stream from its start policy or skips messages`,
          location: after.location,
          deployOrder: 'new-major',
          fix: `restore the durable name \`${op.durable}\` (durable names are part of the contract)`,
        });
      } else if (
        op.consumer !== undefined &&
        after.consumer !== undefined &&
        !isDeepStrictEqual(op.consumer.deliverPolicy, after.consumer.deliverPolicy)
      ) {
        // JetStream cannot update a durable's deliver policy: provisioning must delete and recreate it.
        out.push({
          ruleId: 'consumer-deliver-policy-changed',
          source: 'asyncapi',
          class: 'non-breaking',
          event: eventType,
          message: `deliver policy of durable \`${after.durable ?? op.durable ?? '?'}\` changed from ${JSON.stringify(op.consumer.deliverPolicy)} to ${JSON.stringify(after.consumer.deliverPolicy)}; JetStream cannot update it in place, so the durable is recreated and starts over from the new policy`,
          location: after.location,
          deployOrder: 'any',
        });
      }
    }
  }
  for (const op of head.operations) {
    if (op.action !== 'receive') continue;
    for (const eventType of op.eventTypes) {
      if (baseReceives.has(key(op.service, eventType))) continue;
      out.push({
        ruleId: 'receive-operation-added',
        source: 'asyncapi',
        class: 'non-breaking',
        event: eventType,
        message: `${op.service} now receives \`${eventType}\` (durable \`${op.durable ?? '?'}\`)`,
        location: op.location,
        deployOrder: 'any',
      });
    }
  }
}
