// The ONE place where notifications' decisions become integration messages (asyncapi/notifications.yaml):
// here the delivery job for the service's own work queue.
import type { OutboundMessage } from '../../runtime/api.ts';
import { toTimestamp } from '../platform/proto-values.ts';
import type { NotificationText, OrderFacts, OrderOutcome } from './domain/notification.ts';
import { notificationsEnvelopes, type notificationsV1 } from './generated/index.ts';

const templates: Record<OrderOutcome, notificationsV1.NotificationTemplate> = {
  received: 'NOTIFICATION_TEMPLATE_ORDER_RECEIVED',
  completed: 'NOTIFICATION_TEMPLATE_ORDER_CONFIRMED',
  cancelled: 'NOTIFICATION_TEMPLATE_ORDER_CANCELLED',
};

export function deliveryJob(
  notificationId: string,
  outcome: OrderOutcome,
  order: OrderFacts,
  text: NotificationText,
  at: Date,
): OutboundMessage {
  return notificationsEnvelopes.publishDeliveryRequested({
    notificationId,
    customerId: order.customerId,
    orderId: order.orderId,
    channel: 'DELIVERY_CHANNEL_EMAIL',
    template: templates[outcome],
    templateValues: { recipient: text.recipient, subject: text.subject, body: text.body },
    requestedAt: toTimestamp(at),
  });
}
