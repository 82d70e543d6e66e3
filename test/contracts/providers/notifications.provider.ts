// Provider contract of notifications: delivery jobs come from its real OrderCompleted handler (with the
// GetOrder callback answered from the generated example) on real storage; read back from its outbox.
import type { ProviderContract } from '../../../src/contracts/index.ts';
import * as events from '../../../src/reference/notifications/generated/events.ts';
import { examples } from '../../../src/reference/notifications/generated/index.ts';
import { createNotificationsHandlers, type GetOrder } from '../../../src/reference/notifications/handlers.ts';
import { codecsOf, consumed, param } from '../support/messages.ts';
import { states } from '../support/provider-states.ts';
import { publishedBy } from '../support/published.ts';
import { openServiceWorld, type ServiceWorld } from '../support/service-world.ts';

export async function createProviderContract(): Promise<ProviderContract> {
  let world: ServiceWorld | undefined;
  let known: { orderId: string; customerId: string } | undefined;
  const open = () => {
    if (world === undefined) throw new Error('reset() was not called');
    return world;
  };
  const getOrder: GetOrder = async (orderId) => {
    if (known?.orderId !== orderId) return { found: false };
    const reply = examples.GetOrderReplyV1.default();
    return { ...reply, order: reply.order && { ...reply.order, orderId, customerId: known.customerId } };
  };
  const handlers = () => createNotificationsHandlers({ kit: open().kit, getOrder });

  return {
    service: 'notifications',
    async reset() {
      if (world === undefined) world = await openServiceWorld('notifications');
      else await world.clear();
      known = undefined;
    },
    async close() {
      await world?.close();
      world = undefined;
    },
    states: {
      [states.orderCompletedKnown]: async (params) => {
        known = { orderId: param(params, 'orderId'), customerId: param(params, 'customerId') };
      },
    },
    producers: {
      'notifications.v1.DeliveryRequested': () =>
        publishedBy(open(), () => {
          const { orderId, customerId } = known ?? { orderId: 'ord_42', customerId: 'cus_17' };
          const [event] = consumed(
            events.OrderCompletedV1,
            examples.OrderCompletedV1.default({ orderId, customerId }),
          );
          return handlers().onOrderCompleted(event);
        }),
    },
    codecFor: codecsOf(events),
  };
}
