// Composition root of the inventory service.
import { join } from 'node:path';
import {
  openServiceInfra,
  type RunningService,
  type ServiceOptions,
  stopServiceInfra,
} from '../platform/service-infra.ts';
import { registerInventoryHandlers } from './generated/index.ts';
import { createInventoryHandlers } from './handlers.ts';

export async function startInventory(options: ServiceOptions = {}): Promise<RunningService> {
  const infra = await openServiceInfra('inventory', join(import.meta.dirname, 'migrations'), options);
  registerInventoryHandlers(infra.router, createInventoryHandlers({ kit: infra.kit }));
  await infra.router.start();
  return { name: 'inventory', infra, stop: () => stopServiceInfra(infra) };
}
