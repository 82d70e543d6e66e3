// Composition root of the stores service. Stores consumes nothing; its catalogue changes through the
// catalog service (seeded at start when a seed is given).
import { join } from 'node:path';
import {
  openServiceInfra,
  type RunningService,
  type ServiceOptions,
  stopServiceInfra,
} from '../platform/service-infra.ts';
import { type CatalogSeed, type CatalogService, createCatalogService } from './catalog-service.ts';

export interface StoresOptions extends ServiceOptions {
  readonly seed?: CatalogSeed;
}

export interface RunningStores extends RunningService {
  readonly catalog: CatalogService;
}

export async function startStores(options: StoresOptions = {}): Promise<RunningStores> {
  const infra = await openServiceInfra('stores', join(import.meta.dirname, 'migrations'), options);
  const catalog = createCatalogService(infra.kit);
  if (options.seed) await catalog.seed(options.seed);
  return { name: 'stores', infra, catalog, stop: () => stopServiceInfra(infra, []) };
}
