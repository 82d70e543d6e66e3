// Usage snippets follow the generated code's names: the send operation's method, the partition parameter,
// the examples builder, and router.on with the receiver's consumer settings.
import { describe, expect, it } from 'vitest';
import { usageSnippets } from '../../src/catalog/snippets.ts';
import { syntheticRegistry } from '../../tools/synthetic/registry.ts';

describe('usageSnippets', () => {
  const registry = syntheticRegistry({ services: 5, events: 20, consumersPerEvent: 2 });
  const event = registry.events.find((e) => e.name === 'OrderPlaced');
  if (!event) throw new Error('no OrderPlaced');
  const send = registry.operations.find((o) => o.action === 'send' && o.eventTypes.includes(event.type));
  const receive = registry.operations.find(
    (o) => o.action === 'receive' && o.eventTypes.includes(event.type),
  );

  it('publishes through the producer’s generated publisher with the partition key as subject parameter', () => {
    const { publish } = usageSnippets(event, send, undefined, 'src/reference');
    expect(publish).toContain(
      "import { createOrdersPublisher, examples, type ordersV1 } from './generated/index.ts';",
    );
    expect(publish).toContain('const payload: ordersV1.OrderPlaced = examples.OrderPlacedV1.default(');
    expect(publish).toContain(`await orders.${send?.operationId}(payload, { orderId: payload.orderId });`);
  });

  it('subscribes with router.on, the descriptor and the receiver’s consumer settings', () => {
    const { subscribe } = usageSnippets(
      event,
      send,
      receive ? { service: receive.service, operation: receive } : undefined,
      'src/reference',
    );
    const consumers = `${(receive?.service ?? '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}Consumers`;
    expect(subscribe).toContain(`import { OrderPlacedV1, ${consumers} } from './generated/index.ts';`);
    expect(subscribe).toContain(
      `router.on(OrderPlacedV1, ${consumers}.${receive?.operationId}, async (event, ctx) => {`,
    );
    expect(subscribe).toMatch(/const \{ orderId, \w+, \w+ \} = event\.payload;/);
  });
});
