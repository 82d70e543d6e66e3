// Provider contract of orders: each event comes from orders' real command or handler (PlaceOrder, the saga
// steps) on real storage; what it would publish is read back from its outbox.
import type { ProviderContract } from '../../../src/contracts/index.ts';
import * as events from '../../../src/reference/orders/generated/events.ts';
import { examples } from '../../../src/reference/orders/generated/index.ts';
import { createOrdersHandlers, createOrdersResponders } from '../../../src/reference/orders/handlers.ts';
import { codecsOf, consumed, param, request } from '../support/messages.ts';
import { states } from '../support/provider-states.ts';
import { publishedBy } from '../support/published.ts';
import { openServiceWorld, type ServiceWorld } from '../support/service-world.ts';

export async function createProviderContract(): Promise<ProviderContract> {
  let world: ServiceWorld | undefined;
  let nextOrderId = 'ord_42';
  /** The order the states set up, and how far it got. */
  let order: { id: string; stage: 'placed' | 'paid' } | undefined;
  const open = () => {
    if (world === undefined) throw new Error('reset() was not called');
    return world;
  };
  const deps = () => ({ kit: open().kit, newOrderId: () => nextOrderId });
  const handlers = () => createOrdersHandlers(deps());

  async function productForSale(params: Readonly<Record<string, unknown>>) {
    await handlers().onProductAdded(
      ...consumed(
        events.ProductAddedV1,
        examples.ProductAddedV1.default({
          productId: param(params, 'productId', 'prd_101'),
          storeId: param(params, 'storeId', 'sto_1'),
          price: {
            currencyCode: param(params, 'currencyCode', 'EUR'),
            amountMinor: Number(param(params, 'amountMinor', '320')),
          },
        }),
      ),
    );
  }

  /** The real PlaceOrder command (request/reply handler). */
  async function placeOrder(orderId: string, productId: string, quantity: number) {
    nextOrderId = orderId;
    const reply = await createOrdersResponders(deps()).handlePlaceOrder(
      request(events.PlaceOrderV1, {
        idempotencyKey: '',
        customerId: 'cus_17',
        lines: [{ productId, quantity }],
        paymentMethodId: 'pm_visa_4242',
      }),
    );
    if (!reply.ok)
      throw new Error(
        `PlaceOrder was refused: ${reply.errorMessage} (declare the provider state "${states.productForSale}")`,
      );
    order = { id: orderId, stage: 'placed' };
  }

  async function paymentApproved(orderId: string) {
    await handlers().onPaymentApproved(
      ...consumed(events.PaymentApprovedV1, examples.PaymentApprovedV1.default({ orderId })),
    );
    order = { id: orderId, stage: 'paid' };
  }

  const requireOrder = (stage: 'placed' | 'paid') => {
    if (order === undefined || (stage === 'paid' && order.stage !== 'paid')) {
      throw new Error(
        `needs an order that is ${stage}: declare the provider state "${stage === 'paid' ? states.orderPaid : states.orderPlaced}"`,
      );
    }
    return order.id;
  };

  const published = (command: () => Promise<unknown>) => publishedBy(open(), command);

  return {
    service: 'orders',
    async reset() {
      if (world === undefined) world = await openServiceWorld('orders');
      else await world.clear();
      order = undefined;
      nextOrderId = 'ord_42';
    },
    async close() {
      await world?.close();
      world = undefined;
    },
    states: {
      [states.productForSale]: productForSale,
      [states.orderPlaced]: async (params) => {
        await productForSale(params);
        await placeOrder(
          param(params, 'orderId', 'ord_42'),
          param(params, 'productId', 'prd_101'),
          Number(param(params, 'quantity', '1')),
        );
      },
      [states.orderPaid]: async (params) => {
        await productForSale(params);
        const orderId = param(params, 'orderId', 'ord_42');
        await placeOrder(
          orderId,
          param(params, 'productId', 'prd_101'),
          Number(param(params, 'quantity', '1')),
        );
        await paymentApproved(orderId);
      },
    },
    producers: {
      'orders.v1.OrderPlaced': () => published(() => placeOrder('ord_42', 'prd_101', 2)),
      // PlaceOrder publishes v1 and v2 side by side while consumers migrate.
      'orders.v2.OrderPlaced': () => published(() => placeOrder('ord_42', 'prd_101', 2)),
      'orders.v1.OrderPaid': () => published(() => paymentApproved(requireOrder('placed'))),
      'orders.v1.OrderCompleted': () =>
        published(() =>
          handlers().onStockReserved(
            ...consumed(
              events.StockReservedV1,
              examples.StockReservedV1.default({ orderId: requireOrder('paid') }),
            ),
          ),
        ),
      // A paid order is cancelled when stock runs out, a placed one when its payment is declined.
      'orders.v1.OrderCancelled': () =>
        published(async () => {
          const orderId = requireOrder('placed');
          if (order?.stage === 'paid') {
            await handlers().onStockReservationFailed(
              ...consumed(
                events.StockReservationFailedV1,
                examples.StockReservationFailedV1.default({ orderId }),
              ),
            );
          } else {
            await handlers().onPaymentDeclined(
              ...consumed(events.PaymentDeclinedV1, examples.PaymentDeclinedV1.default({ orderId })),
            );
          }
        }),
    },
    codecFor: codecsOf(events),
  };
}
