// Public surface of the orders service.
export { startOrders } from './compose.ts';
export { createOrdersHandlers, createOrdersResponders, type OrdersDeps } from './handlers.ts';
export { type OrdersHttpApi, startOrdersHttpApi } from './http-api.ts';
