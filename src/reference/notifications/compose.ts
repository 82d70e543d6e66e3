// Composition root of the notifications service: notification-event handlers (with the GetOrder
// callback), and competing delivery workers on the NOTIFICATIONS work-queue stream.
import { join } from 'node:path';
import type { Router } from '../../runtime/index.ts';
import {
  openServiceInfra,
  type RunningService,
  type ServiceOptions,
  stopServiceInfra,
} from '../platform/service-infra.ts';
import {
  createNotificationsClient,
  DeliveryRequestedV1,
  notificationsConsumers,
  registerNotificationsHandlers,
} from './generated/index.ts';
import { createDeliveryWorker, createNotificationsHandlers, type GetOrder } from './handlers.ts';

export interface NotificationsOptions extends ServiceOptions {
  /** Delivery workers competing for jobs in this process. Default 3. */
  readonly workers?: number;
}

export async function startNotifications(options: NotificationsOptions = {}): Promise<RunningService> {
  const infra = await openServiceInfra('notifications', join(import.meta.dirname, 'migrations'), options);
  const orders = createNotificationsClient(infra.requester);
  const getOrder: GetOrder = (orderId) => orders.requestGetOrder({ orderId }, { timeoutMs: 3_000 });
  const handlers = createNotificationsHandlers({ kit: infra.kit, getOrder });
  const workerName = (n: number) => `${process.pid}-w${n}`;
  registerNotificationsHandlers(infra.router, {
    ...handlers,
    deliverNotification: createDeliveryWorker(infra.kit, workerName(1)),
  });
  // More workers on the same durable: JetStream hands each job to one of them (competing consumers).
  const workers: Router[] = [];
  for (let n = 2; n <= (options.workers ?? 3); n++) {
    const router = infra.newRouter();
    router.on(
      DeliveryRequestedV1,
      notificationsConsumers.deliverNotification,
      createDeliveryWorker(infra.kit, workerName(n)),
    );
    workers.push(router);
  }
  await infra.router.start();
  for (const router of workers) await router.start();
  return { name: 'notifications', infra, stop: () => stopServiceInfra(infra, [infra.router, ...workers]) };
}
