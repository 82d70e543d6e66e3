// End to end through JetStream with the generated code of the reference system: every event is
// published through its producer's generated publisher (payload from the generated example builder)
// and consumed through every consumer's generated handler registration, and every command/query is
// answered through the generated responders. Decoded payloads must equal what was sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, loadRegistry } from '../../src/model/index.ts';
import type { Registry } from '../../src/model/types.ts';
import * as inventory from '../../src/reference/inventory/generated/index.ts';
import * as notifications from '../../src/reference/notifications/generated/index.ts';
import * as orders from '../../src/reference/orders/generated/index.ts';
import * as payments from '../../src/reference/payments/generated/index.ts';
import * as stores from '../../src/reference/stores/generated/index.ts';
import {
  type Codec,
  type ConsumedEvent,
  createPublisher,
  createRequester,
  createResponder,
  createRouter,
  type EventDescriptor,
  jetstreamTransport,
  type Router,
  streamSpec,
  type Transport,
} from '../../src/runtime/index.ts';
import { type NatsServer, startNatsServer } from '../support/nats-server.ts';
import { repoRoot } from './support/project.ts';

interface Received {
  readonly service: string;
  readonly event: ConsumedEvent<unknown>;
}

/** Waits until `count` deliveries of each expected (service, type) pair arrived. */
class Inbox {
  private readonly received: Received[] = [];
  private readonly waiters: (() => void)[] = [];

  /** A handler that records what a service received. */
  handler(service: string) {
    return async (event: ConsumedEvent<unknown>): Promise<void> => {
      this.received.push({ service, event });
      for (const wake of this.waiters.splice(0)) wake();
    };
  }

  of(service: string, type: string): ConsumedEvent<unknown>[] {
    return this.received.filter((r) => r.service === service && r.event.type === type).map((r) => r.event);
  }

  async waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) return;
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
}

/** A handlers object with every member of a generated `<service>Consumers` table recording into the inbox. */
function recordingHandlers<K extends string>(
  consumers: Readonly<Record<K, unknown>>,
  record: (event: ConsumedEvent<unknown>) => Promise<void>,
) {
  return Object.fromEntries(Object.keys(consumers).map((member) => [member, record])) as Record<
    K,
    typeof record
  >;
}

let server: NatsServer;
let transport: Transport;
let registry: Registry;
const routers: Router[] = [];
const inbox = new Inbox();

beforeAll(async () => {
  const { config } = await loadConfig(repoRoot);
  ({ registry } = await loadRegistry(config));
  server = await startNatsServer();
  transport = jetstreamTransport({ servers: server.url, name: 'codegen-e2e' });
  for (const stream of registry.streams) {
    await transport.ensureStream(
      streamSpec(stream.name, stream.subjects, { ...stream.settings, storage: 'memory' }),
    );
  }
});

afterAll(async () => {
  for (const router of routers) await router.close();
  await transport?.close();
  await server?.stop();
});

describe('generated code of the reference system on JetStream', () => {
  it('publishes every event with the generated publishers and consumes it with the generated handlers', async () => {
    const register = (service: string, add: (router: Router) => void): void => {
      const router = createRouter({ transport, service, deadLetter: false });
      add(router);
      routers.push(router);
    };
    register('inventory', (r) =>
      inventory.registerInventoryHandlers(
        r,
        recordingHandlers(inventory.inventoryConsumers, inbox.handler('inventory')),
      ),
    );
    register('notifications', (r) =>
      notifications.registerNotificationsHandlers(
        r,
        recordingHandlers(notifications.notificationsConsumers, inbox.handler('notifications')),
      ),
    );
    register('orders', (r) =>
      orders.registerOrdersHandlers(r, recordingHandlers(orders.ordersConsumers, inbox.handler('orders'))),
    );
    register('payments', (r) =>
      payments.registerPaymentsHandlers(
        r,
        recordingHandlers(payments.paymentsConsumers, inbox.handler('payments')),
      ),
    );
    // Events nobody in the reference consumes yet are still read back, through an observer's durable.
    const producedBy = new Map<string, EventDescriptor<unknown>>();
    for (const generated of [inventory, notifications, orders, payments, stores]) {
      for (const descriptor of Object.values(generated.descriptors) as EventDescriptor<unknown>[])
        producedBy.set(descriptor.type, descriptor);
    }
    const unconsumed = registry.events.filter(
      (event) => event.kind === 'event' && event.consumers.length === 0,
    );
    register('observer', (router) => {
      for (const event of unconsumed) {
        router.on(
          producedBy.get(event.type) as EventDescriptor<unknown>,
          { durable: `observer--${event.kebab}-v${event.major}` },
          inbox.handler('observer'),
        );
      }
    });
    for (const router of routers) await router.start();

    const sent = new Map<string, { codec: Codec<unknown>; payload: unknown }>();
    const publish = async <T>(
      descriptor: EventDescriptor<T>,
      payload: T,
      send: (payload: T) => Promise<unknown>,
    ) => {
      sent.set(descriptor.type, { codec: descriptor.codec as Codec<unknown>, payload });
      await send(payload);
    };
    const storesOut = stores.createStoresPublisher(createPublisher({ transport, source: 'stores' }));
    const ordersOut = orders.createOrdersPublisher(createPublisher({ transport, source: 'orders' }));
    const paymentsOut = payments.createPaymentsPublisher(createPublisher({ transport, source: 'payments' }));
    const inventoryOut = inventory.createInventoryPublisher(
      createPublisher({ transport, source: 'inventory' }),
    );
    const notificationsOut = notifications.createNotificationsPublisher(
      createPublisher({ transport, source: 'notifications' }),
    );
    const ex = {
      ...stores.examples,
      ...orders.examples,
      ...payments.examples,
      ...inventory.examples,
      ...notifications.examples,
    };

    await publish(stores.StoreCreatedV1, ex.StoreCreatedV1.default(), (p) =>
      storesOut.publishStoreCreated(p),
    );
    await publish(stores.ProductAddedV1, ex.ProductAddedV1.default(), (p) =>
      storesOut.publishProductAdded(p),
    );
    await publish(stores.ProductPriceChangedV1, ex.ProductPriceChangedV1.default(), (p) =>
      storesOut.publishProductPriceChanged(p),
    );
    await publish(stores.ProductRemovedV1, ex.ProductRemovedV1.default(), (p) =>
      storesOut.publishProductRemoved(p),
    );
    await publish(orders.OrderPlacedV1, ex.OrderPlacedV1.default(), (p) => ordersOut.publishOrderPlaced(p));
    await publish(orders.OrderPlacedV2, ex.OrderPlacedV2.default(), (p) => ordersOut.publishOrderPlacedV2(p));
    await publish(orders.OrderPaidV1, ex.OrderPaidV1.default(), (p) => ordersOut.publishOrderPaid(p));
    await publish(orders.OrderCompletedV1, ex.OrderCompletedV1.default(), (p) =>
      ordersOut.publishOrderCompleted(p),
    );
    await publish(orders.OrderCancelledV1, ex.OrderCancelledV1.default(), (p) =>
      ordersOut.publishOrderCancelled(p),
    );
    await publish(payments.PaymentApprovedV1, ex.PaymentApprovedV1.default(), (p) =>
      paymentsOut.publishPaymentApproved(p),
    );
    await publish(payments.PaymentDeclinedV1, ex.PaymentDeclinedV1.default(), (p) =>
      paymentsOut.publishPaymentDeclined(p),
    );
    await publish(payments.PaymentRefundedV1, ex.PaymentRefundedV1.default(), (p) =>
      paymentsOut.publishPaymentRefunded(p),
    );
    await publish(inventory.StockReservedV1, ex.StockReservedV1.default(), (p) =>
      inventoryOut.publishStockReserved(p),
    );
    await publish(inventory.StockReservationFailedV1, ex.StockReservationFailedV1.default(), (p) =>
      inventoryOut.publishStockReservationFailed(p),
    );
    await publish(notifications.DeliveryRequestedV1, ex.DeliveryRequestedV1.default(), (p) =>
      notificationsOut.publishDeliveryRequested(p),
    );

    // Every event of the registry was published (a new event fails here until it is added above).
    const events = registry.events.filter((event) => event.kind === 'event');
    expect([...sent.keys()].sort()).toEqual(events.map((event) => event.type).sort());

    const expected = events.flatMap((event) =>
      (event.consumers.length > 0 ? event.consumers : ['observer']).map((service) => ({ service, event })),
    );
    await inbox.waitFor(
      () => expected.every(({ service, event }) => inbox.of(service, event.type).length > 0),
      20_000,
    );
    for (const { service, event } of expected) {
      const deliveries = inbox.of(service, event.type);
      expect(deliveries.length, `${service} received ${event.type}`).toBe(1);
      const delivered = deliveries[0] as ConsumedEvent<unknown>;
      const { codec, payload } = sent.get(event.type) as { codec: Codec<unknown>; payload: unknown };
      expect(delivered.payload, `${service}: ${event.type} payload`).toEqual(payload);
      expect(codec.toJson(delivered.payload)).toEqual(codec.toJson(payload));
      expect(delivered.subject.startsWith(event.subjectPattern.replace(/\{[^}]+\}$/, ''))).toBe(true);
      expect(delivered.source).toBe(event.producer);
    }
  });

  it('builds outbox envelopes that a relay publishes and consumers decode', async () => {
    const cancelled = orders.examples.OrderCancelledV1.default({ orderId: 'ord_outbox_1' });
    const envelope = orders.ordersEnvelopes.publishOrderCancelled(cancelled, {}, { id: 'evt_outbox_1' });
    expect(envelope).toMatchObject({
      subject: 'orders.order-cancelled.v1.ord_outbox_1',
      id: 'evt_outbox_1',
      type: 'orders.v1.OrderCancelled',
    });
    expect(envelope.headers['ce-source']).toBe('orders');
    const relay = createPublisher({ transport, source: 'orders' });
    expect((await relay.publishEnvelope(envelope)).duplicate).toBe(false);
    expect((await relay.publishEnvelope(envelope)).duplicate).toBe(true);
    const consumers =
      registry.events.find((event) => event.type === 'orders.v1.OrderCancelled')?.consumers ?? [];
    expect(consumers.length).toBeGreaterThan(0);
    const fromOutbox = (service: string) =>
      inbox.of(service, 'orders.v1.OrderCancelled').filter((event) => event.id === 'evt_outbox_1');
    await inbox.waitFor(() => consumers.every((service) => fromOutbox(service).length > 0), 20_000);
    for (const service of consumers) {
      expect(fromOutbox(service).map((event) => event.payload)).toEqual([cancelled]);
    }
  });

  it('answers every command and query through the generated responders and client', async () => {
    const responder = createResponder({ transport, service: 'orders' });
    const asked: unknown[] = [];
    orders.registerOrdersResponders(responder, {
      answerGetOrder: async (request) => {
        asked.push(request.payload);
        return orders.examples.GetOrderReplyV1.default();
      },
      handlePlaceOrder: async (request) => {
        asked.push(request.payload);
        return orders.examples.PlaceOrderReplyV1.default();
      },
    });
    await responder.start();
    try {
      const client = notifications.createNotificationsClient(
        createRequester({ transport, source: 'notifications' }),
      );
      const getOrder = notifications.examples.GetOrderV1.default();
      const reply = await client.requestGetOrder(getOrder);
      expect(reply).toEqual(orders.examples.GetOrderReplyV1.default());
      // PlaceOrder has no sender document in the reference (the storefront is outside it): raw requester.
      const placeOrder = orders.examples.PlaceOrderV1.default();
      const placed = await createRequester({ transport, source: 'storefront' }).request(
        orders.PlaceOrderV1,
        orders.PlaceOrderReplyV1,
        placeOrder,
      );
      expect(placed).toEqual(orders.examples.PlaceOrderReplyV1.default());
      expect(asked).toEqual([getOrder, placeOrder]);
      const commandsAndQueries = registry.events.filter(
        (event) => event.kind !== 'event' && event.replyType !== undefined,
      );
      expect(commandsAndQueries.map((event) => event.type).sort()).toEqual([
        'orders.v1.GetOrder',
        'orders.v1.PlaceOrder',
      ]);
    } finally {
      await responder.drain();
    }
  });
});
