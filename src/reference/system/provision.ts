// Streams and durable consumers of the reference system, from the registry (the AsyncAPI documents),
// through the runtime's provisioning: plan against the live server, then apply creates and updates.
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Registry } from '../../model/index.ts';
import { applyProvisioning, planProvisioning, provisioningSpec } from '../../runtime/provisioning.ts';

export interface ProvisionResult {
  readonly streams: number;
  readonly consumers: number;
  /** Changes JetStream cannot make in place (e.g. a stream left over with other settings). */
  readonly conflicts: readonly string[];
  readonly failed: readonly string[];
}

export async function provisionFromRegistry(
  registry: Registry,
  nc: NatsConnection,
  options: { readonly replicas?: number } = {},
): Promise<ProvisionResult> {
  const jsm = await jetstreamManager(nc);
  const spec = provisioningSpec(registry, options);
  const plan = await planProvisioning(jsm, spec);
  const applied = await applyProvisioning(jsm, plan);
  return {
    streams: spec.streams.length,
    consumers: spec.consumers.length,
    conflicts: applied.filter((c) => c.outcome === 'conflict').map((c) => c.name),
    failed: applied.filter((c) => c.outcome === 'failed').map((c) => `${c.name}: ${c.error}`),
  };
}

/** Durable consumer names of every receive operation on an event (what "quiet" waits for). */
export function registryDurables(registry: Registry): { stream: string; durable: string }[] {
  const out: { stream: string; durable: string }[] = [];
  for (const op of registry.operations) {
    if (op.action !== 'receive') continue;
    // One durable per (operation, event type), named by the registry.
    for (const [type, durable] of Object.entries(op.durables ?? {})) {
      const event = registry.events.find((e) => e.type === type);
      if (event?.stream) out.push({ stream: event.stream, durable });
    }
  }
  return out;
}
