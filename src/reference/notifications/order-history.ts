// The customer order-history read model can be thrown away and rebuilt at any time by replaying the
// ORDERS stream from its first message: an ephemeral consumer per event type, deliver-all, applying
// each event idempotently (by event id) until the replay has seen everything the stream holds.
import { jetstreamManager } from '@nats-io/jetstream';
import type { ServiceInfra } from '../platform/service-infra.ts';
import { OrderCancelledV1, OrderCompletedV1 } from './generated/index.ts';
import { applyToHistory } from './handlers.ts';

export interface RebuildResult {
  readonly replayed: number;
  readonly customers: number;
  readonly durationMs: number;
}

async function countOnStream(infra: ServiceInfra, stream: string, filter: string): Promise<number> {
  const jsm = await jetstreamManager(infra.connection);
  const info = await jsm.streams.info(stream, { subjects_filter: filter });
  return Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
}

export async function rebuildOrderHistory(infra: ServiceInfra, timeoutMs = 60_000): Promise<RebuildResult> {
  const started = Date.now();
  const stream = OrderCompletedV1.stream as string;
  const target =
    (await countOnStream(infra, stream, OrderCompletedV1.subjectFilter)) +
    (await countOnStream(infra, stream, OrderCancelledV1.subjectFilter));
  await infra.db.transaction(async (tx) => {
    await tx.query('DELETE FROM customer_order_history');
    await tx.query('DELETE FROM customer_order_history_applied');
  });
  const seen = new Set<string>();
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const replay = infra.newRouter();
  const apply =
    (outcome: 'completed' | 'cancelled') =>
    async (event: { id: string; time: Date; payload: { orderId: string; customerId: string } }) => {
      await infra.db.transaction((tx) =>
        applyToHistory(tx, event.id, event.payload.customerId, event.payload.orderId, outcome, event.time),
      );
      // Distinct ids: a redelivered copy (slow handler under load) must not end the replay early.
      seen.add(event.id);
      if (seen.size >= target) done();
    };
  const replayOptions = {
    ephemeral: true,
    deliverPolicy: 'all',
    ordered: false,
    maxAckPending: 1000,
  } as const;
  replay.on(
    OrderCompletedV1,
    { ...replayOptions, durable: 'notifications--history-replay-completed' },
    apply('completed'),
  );
  replay.on(
    OrderCancelledV1,
    { ...replayOptions, durable: 'notifications--history-replay-cancelled' },
    apply('cancelled'),
  );
  if (target === 0) done();
  await replay.start();
  const timer = setTimeout(done, timeoutMs);
  await finished;
  clearTimeout(timer);
  await replay.drain();
  const customers = await infra.db.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM customer_order_history',
  );
  return {
    replayed: seen.size,
    customers: Number(customers.rows[0]?.n ?? 0),
    durationMs: Date.now() - started,
  };
}
