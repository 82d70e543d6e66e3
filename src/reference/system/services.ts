// The five services by name, so the runner can start any subset of them in one process.
import { startInventory } from '../inventory/compose.ts';
import { startNotifications } from '../notifications/compose.ts';
import { startOrders } from '../orders/compose.ts';
import { type PaymentsOptions, startPayments } from '../payments/compose.ts';
import type { RunningService, ServiceOptions } from '../platform/service-infra.ts';
import type { CatalogSeed } from '../stores/catalog-service.ts';
import { startStores } from '../stores/compose.ts';

export const SERVICE_NAMES = ['stores', 'orders', 'payments', 'inventory', 'notifications'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

export interface SystemOptions extends ServiceOptions, Pick<PaymentsOptions, 'gateway' | 'breaker'> {
  readonly seed?: CatalogSeed;
  readonly workers?: number;
}

export function startService(name: ServiceName, options: SystemOptions): Promise<RunningService> {
  switch (name) {
    case 'stores':
      return startStores(options);
    case 'orders':
      return startOrders(options);
    case 'payments':
      return startPayments(options);
    case 'inventory':
      return startInventory(options);
    case 'notifications':
      return startNotifications(options);
  }
}

/**
 * Starts the given services in this process (a modular monolith). Consumers start before stores seeds
 * its catalogue, so nothing waits on a missing consumer.
 */
export async function startServices(
  names: readonly ServiceName[],
  options: SystemOptions,
): Promise<RunningService[]> {
  const ordered = [...names].sort((a, b) => (a === 'stores' ? 1 : b === 'stores' ? -1 : 0));
  const running: RunningService[] = [];
  try {
    for (const name of ordered) running.push(await startService(name, options));
  } catch (error) {
    await stopServices(running);
    throw error;
  }
  return running;
}

/** Stops in reverse start order; keeps going when one fails. */
export async function stopServices(running: readonly RunningService[]): Promise<void> {
  for (const service of [...running].reverse()) {
    try {
      await service.stop();
    } catch (error) {
      process.stderr.write(`stopping ${service.name} failed: ${(error as Error).message}\n`);
    }
  }
}
