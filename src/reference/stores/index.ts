// Public surface of the stores service.
export { type CatalogSeed, type CatalogService, createCatalogService } from './catalog-service.ts';
export { type RunningStores, type StoresOptions, startStores } from './compose.ts';
