// Public surface of the notifications service.
export { type NotificationsOptions, startNotifications } from './compose.ts';
export {
  createDeliveryWorker,
  createNotificationsHandlers,
  type GetOrder,
  type NotificationsDeps,
} from './handlers.ts';
export { type RebuildResult, rebuildOrderHistory } from './order-history.ts';
