// Requests to a command or query version orders does not serve (e.g. `cmd.orders.place-order.v9`) get an
// error reply saying so, instead of the caller waiting for a timeout or seeing "no responders".
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { ERROR_HEADERS } from '../../runtime/index.ts';
import { GetOrderV1, PlaceOrderV1 } from './generated/index.ts';

const served = new Set([PlaceOrderV1.subjectPattern, GetOrderV1.subjectPattern]);

export async function serveUnknownCommandVersions(nc: NatsConnection): Promise<{ stop(): Promise<void> }> {
  const subscriptions: Subscription[] = ['cmd.orders.>', 'query.orders.>'].map((subject) =>
    nc.subscribe(subject, {
      queue: 'orders-unknown-versions',
      callback: (_error, msg) => {
        if (served.has(msg.subject) || !msg.reply) return; // the real responder answers these
        const h = natsHeaders();
        h.set(
          ERROR_HEADERS.error,
          `UnsupportedVersion: orders does not serve ${msg.subject}; supported: ${[...served].join(', ')}`,
        );
        h.set(ERROR_HEADERS.kind, 'permanent');
        msg.respond(new Uint8Array(0), { headers: h });
      },
    }),
  );
  await nc.flush();
  return {
    async stop() {
      for (const s of subscriptions) s.unsubscribe();
    },
  };
}
