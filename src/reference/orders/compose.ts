// Composition root of the orders service: infrastructure + handlers + responders, nothing else.
import { join } from 'node:path';
import {
  openServiceInfra,
  type RunningService,
  type ServiceOptions,
  stopServiceInfra,
} from '../platform/service-infra.ts';
import { serveUnknownCommandVersions } from './command-versions.ts';
import { registerOrdersHandlers, registerOrdersResponders } from './generated/index.ts';
import { createOrdersHandlers, createOrdersResponders } from './handlers.ts';

export async function startOrders(options: ServiceOptions = {}): Promise<RunningService> {
  const infra = await openServiceInfra('orders', join(import.meta.dirname, 'migrations'), options);
  const deps = { kit: infra.kit };
  registerOrdersHandlers(infra.router, createOrdersHandlers(deps));
  registerOrdersResponders(infra.responder, createOrdersResponders(deps));
  const versions = await serveUnknownCommandVersions(infra.connection);
  await infra.router.start();
  await infra.responder.start();
  return {
    name: 'orders',
    infra,
    async stop() {
      await versions.stop();
      await stopServiceInfra(infra);
    },
  };
}
