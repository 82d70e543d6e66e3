// Test support: the whole reference system in this process on a nats-server the test starts, with
// PGlite databases in a temp folder. Real parts only: JetStream, PGlite, the generated code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { loadProject, type Registry } from '../../src/model/index.ts';
import type { ordersV1 } from '../../src/reference/orders/generated/index.ts';
import { PlaceOrderReplyV1, PlaceOrderV1 } from '../../src/reference/orders/generated/index.ts';
import type { RunningPayments } from '../../src/reference/payments/compose.ts';
import type { RunningService } from '../../src/reference/platform/service-infra.ts';
import type { CatalogSeed } from '../../src/reference/stores/catalog-service.ts';
import type { RunningStores } from '../../src/reference/stores/compose.ts';
import { waitForConsumersIdle } from '../../src/reference/system/broker-facts.ts';
import { provisionFromRegistry, registryDurables } from '../../src/reference/system/provision.ts';
import {
  SERVICE_NAMES,
  type ServiceName,
  type SystemOptions,
  startServices,
  stopServices,
} from '../../src/reference/system/services.ts';
import {
  createRequester,
  jetstreamTransport,
  type Requester,
  type Transport,
} from '../../src/runtime/index.ts';
import { type NatsServer, startNatsServer } from '../support/nats-server.ts';

let registryPromise: Promise<Registry> | undefined;
export function registry(): Promise<Registry> {
  registryPromise ??= loadProject(join(import.meta.dirname, '..', '..')).then((r) => r.registry);
  return registryPromise;
}

export const testCatalog: CatalogSeed = {
  stores: [
    {
      storeId: 'sto_1',
      name: 'Corner Coffee',
      location: 'Level 1',
      products: [
        {
          productId: 'prd_coffee',
          name: 'Flat white',
          description: '',
          sku: 'CC-1',
          price: { currency: 'EUR', amountMinor: 350 },
          initialStock: 1000,
        },
        {
          productId: 'prd_cake',
          name: 'Cake',
          description: '',
          sku: 'CC-2',
          price: { currency: 'EUR', amountMinor: 420 },
          initialStock: 1000,
        },
        {
          productId: 'prd_rare',
          name: 'Rare beans',
          description: '',
          sku: 'CC-3',
          price: { currency: 'EUR', amountMinor: 2500 },
          initialStock: 2,
        },
      ],
    },
  ],
};

export interface TestSystem {
  readonly server: NatsServer;
  readonly nc: NatsConnection;
  readonly transport: Transport;
  readonly requester: Requester;
  readonly dataRoot: string;
  readonly services: Map<ServiceName, RunningService>;
  readonly stores: RunningStores;
  readonly payments: RunningPayments;
  placeOrder(
    request: Partial<ordersV1.PlaceOrder> & { lines: ordersV1.PlaceOrder['lines'] },
  ): Promise<ordersV1.PlaceOrderReply>;
  /** Waits until every durable consumer is idle (nothing pending, nothing unacked). */
  quiet(timeoutMs?: number): Promise<void>;
  order(orderId: string): Promise<{ status: string; cancel_reason: string | null } | undefined>;
  waitForOrder(orderId: string, statuses: readonly string[], timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

let counter = 0;

export async function startTestSystem(options: SystemOptions = {}): Promise<TestSystem> {
  const server = await startNatsServer();
  const dataRoot = mkdtempSync(join(tmpdir(), 'eventkit-ref-test-'));
  const transport = jetstreamTransport({ servers: server.url, name: 'reference-test' });
  let running: RunningService[] = [];
  try {
    const nc = await transport.connection();
    const reg = await registry();
    await provisionFromRegistry(reg, nc);
    running = await startServices([...SERVICE_NAMES], {
      natsUrl: server.url,
      dataRoot,
      seed: options.seed ?? testCatalog,
      ...options,
    });
    const services = new Map(running.map((s) => [s.name as ServiceName, s]));
    const requester = createRequester({ transport, source: 'test' });
    const orders = services.get('orders') as RunningService;
    const system: TestSystem = {
      server,
      nc,
      transport,
      requester,
      dataRoot,
      services,
      stores: services.get('stores') as RunningStores,
      payments: services.get('payments') as RunningPayments,
      placeOrder: (request) =>
        requester.request(PlaceOrderV1, PlaceOrderReplyV1, {
          idempotencyKey: `test-${process.pid}-${++counter}`,
          customerId: 'cus_1',
          paymentMethodId: 'pm_card',
          ...request,
        }),
      async quiet(timeoutMs = 30_000) {
        let busy: string[] = [];
        const idle = await waitForConsumersIdle(nc, registryDurables(reg), {
          timeoutMs,
          stableChecks: 2,
          intervalMs: 150,
          onWait: (now) => {
            busy = now;
          },
        });
        if (!idle) throw new Error(`the system did not become quiet: ${busy.join(', ')}`);
      },
      async order(orderId) {
        const { rows } = await orders.infra.db.query<{ status: string; cancel_reason: string | null }>(
          'SELECT status, cancel_reason FROM orders WHERE order_id = $1',
          [orderId],
        );
        return rows[0];
      },
      async waitForOrder(orderId, statuses, timeoutMs = 30_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const o = await system.order(orderId);
          if (o && statuses.includes(o.status)) return o.status;
          if (Date.now() > deadline)
            throw new Error(`order ${orderId} is ${o?.status ?? 'missing'}, expected ${statuses.join('/')}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      },
      async stop() {
        await stopServices(running);
        await transport.close();
        await server.stop();
        rmSync(dataRoot, { recursive: true, force: true });
      },
    };
    // Orders and inventory learn the catalogue before any test places an order.
    await system.quiet();
    return system;
  } catch (error) {
    await stopServices(running);
    await transport.close().catch(() => {});
    await server.stop();
    rmSync(dataRoot, { recursive: true, force: true });
    throw error;
  }
}
