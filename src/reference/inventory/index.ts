// Public surface of the inventory service.
export { startInventory } from './compose.ts';
export { createInventoryHandlers, type InventoryDeps } from './handlers.ts';
