// Provider contract of payments: its events come from its real OrderPlaced / OrderCancelled handlers with
// the simulated payment gateway, on real storage; what it would publish is read from its outbox.
import type { ProviderContract } from '../../../src/contracts/index.ts';
import * as events from '../../../src/reference/payments/generated/events.ts';
import { examples } from '../../../src/reference/payments/generated/index.ts';
import { createPaymentsHandlers } from '../../../src/reference/payments/handlers.ts';
import { createSimulatedGateway } from '../../../src/reference/payments/payment-gateway.ts';
import { codecsOf, consumed, param } from '../support/messages.ts';
import { states } from '../support/provider-states.ts';
import { publishedBy } from '../support/published.ts';
import { openServiceWorld, type ServiceWorld } from '../support/service-world.ts';

export async function createProviderContract(): Promise<ProviderContract> {
  let world: ServiceWorld | undefined;
  let paymentMethodId = 'pm_visa_4242';
  const open = () => {
    if (world === undefined) throw new Error('reset() was not called');
    return world;
  };
  const handlers = () => createPaymentsHandlers({ kit: open().kit, gateway: createSimulatedGateway() });
  const orderPlaced = () =>
    handlers().onOrderPlacedV2(
      ...consumed(events.OrderPlacedV2, examples.OrderPlacedV2.default({ paymentMethodId })),
    );

  return {
    service: 'payments',
    async reset() {
      if (world === undefined) world = await openServiceWorld('payments');
      else await world.clear();
      paymentMethodId = 'pm_visa_4242';
    },
    async close() {
      await world?.close();
      world = undefined;
    },
    states: {
      [states.gatewayDeclines]: async (params) => {
        paymentMethodId = param(params, 'paymentMethodId', 'pm_declined_0001');
      },
    },
    producers: {
      'payments.v1.PaymentApproved': () => publishedBy(open(), orderPlaced),
      'payments.v1.PaymentDeclined': () => publishedBy(open(), orderPlaced),
      'payments.v1.PaymentRefunded': async () => {
        await orderPlaced();
        const placed = examples.OrderPlacedV2.default();
        return publishedBy(open(), () =>
          handlers().onOrderCancelled(
            ...consumed(
              events.OrderCancelledV1,
              examples.OrderCancelledV1.stockUnavailable({ orderId: placed.orderId }),
            ),
          ),
        );
      },
    },
    codecFor: codecsOf(events),
  };
}
