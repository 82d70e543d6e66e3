// The notifications domain: what to tell a customer about an order, and on which channel.

/** What a notification is about: the order was received (placed), or it finished one way or the other. */
export type OrderOutcome = 'received' | 'completed' | 'cancelled';

export interface OrderFacts {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: string;
  readonly totalMinor: number;
  readonly currency: string;
  readonly cancelReason?: string;
}

export interface NotificationText {
  readonly channel: 'email';
  readonly recipient: string;
  readonly subject: string;
  readonly body: string;
}

export function composeNotification(outcome: OrderOutcome, order: OrderFacts): NotificationText {
  const amount = `${order.currency} ${(order.totalMinor / 100).toFixed(2)}`;
  const recipient = `${order.customerId}@customers.shop.example`;
  if (outcome === 'received')
    return {
      channel: 'email',
      recipient,
      subject: `Order ${order.orderId} received`,
      body: `We received your order ${order.orderId} (${amount}) and are charging your payment method.`,
    };
  if (outcome === 'completed')
    return {
      channel: 'email',
      recipient,
      subject: `Order ${order.orderId} confirmed`,
      body: `Thank you! Your order ${order.orderId} (${amount}) is paid and packed.`,
    };
  return {
    channel: 'email',
    recipient,
    subject: `Order ${order.orderId} cancelled`,
    body: `Your order ${order.orderId} (${amount}) was cancelled${order.cancelReason ? ` (${order.cancelReason})` : ''}.`,
  };
}
