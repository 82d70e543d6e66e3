// Composition root of the orders service: infrastructure + handlers + responders, nothing else.
import { join } from 'node:path';
import { createSqlEventStore } from 'eventkit/eventstore';
import {
  openServiceInfra,
  type RunningService,
  type ServiceOptions,
  stopServiceInfra,
} from '../platform/service-infra.ts';
import { serveUnknownCommandVersions } from './command-versions.ts';
import { registerOrdersHandlers, registerOrdersResponders } from './generated/index.ts';
import { createOrdersHandlers, createOrdersResponders } from './handlers.ts';
import { createOrderHistory } from './order-history.ts';

export async function startOrders(options: ServiceOptions = {}): Promise<RunningService> {
  const infra = await openServiceInfra('orders', join(import.meta.dirname, 'migrations'), options);
  const eventStore = await createSqlEventStore({ db: infra.kit.db });
  const history = await createOrderHistory(infra.kit.db, eventStore);
  const deps = { kit: infra.kit, eventStore: Promise.resolve(eventStore) };
  registerOrdersHandlers(infra.router, createOrdersHandlers(deps));
  registerOrdersResponders(infra.responder, createOrdersResponders(deps));
  const versions = await serveUnknownCommandVersions(infra.connection);
  await infra.router.start();
  await infra.responder.start();
  history.start();
  return {
    name: 'orders',
    infra,
    async stop() {
      await versions.stop();
      await history.stop();
      await stopServiceInfra(infra);
    },
  };
}
