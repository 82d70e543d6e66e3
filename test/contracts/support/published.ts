// What one command published: the outbox rows it added (state setup may have added earlier ones).
import type { OutboundMessage } from '../../../src/runtime/api.ts';
import type { ServiceWorld } from './service-world.ts';

export async function publishedBy(
  world: ServiceWorld,
  command: () => Promise<unknown>,
): Promise<OutboundMessage[]> {
  const before = (await world.outbox()).length;
  await command();
  return (await world.outbox()).slice(before);
}
