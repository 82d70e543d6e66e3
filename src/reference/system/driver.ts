// Drives the shop like its customers would: PlaceOrder requests over NATS request/reply, a bounded number
// in flight, with a progress callback. Uses orders' generated command descriptors.
import type { Requester } from '../../runtime/index.ts';
import { isRequestFailedError } from '../../runtime/index.ts';
import { PlaceOrderReplyV1, PlaceOrderV1 } from '../orders/generated/index.ts';
import type { PlannedOrder } from './workload.ts';

export interface DriveResult {
  /**
   * Accepted orders: id → when the reply arrived (`at`) and when the request was due (`due`: when it was
   * sent in a closed loop, its scheduled time in an open loop, so queueing before the send counts too).
   */
  readonly placed: Map<
    string,
    { readonly kind: PlannedOrder['kind']; readonly at: number; readonly due: number }
  >;
  /** Refused commands by error code. */
  readonly rejected: Map<string, number>;
  /** Requests that failed (timeout, no responders) after retries. */
  readonly failed: number;
  readonly durationMs: number;
}

export async function driveOrders(
  requester: Requester,
  orders: readonly PlannedOrder[],
  options: {
    concurrency?: number;
    onProgress?: (done: number) => void;
    attempts?: number;
    /** Open loop: orders per second, each sent at its scheduled time (`concurrency` is then ignored). */
    rate?: number;
  } = {},
): Promise<DriveResult> {
  const started = Date.now();
  const placed: DriveResult['placed'] = new Map();
  const rejected = new Map<string, number>();
  let failed = 0;
  let next = 0;
  let done = 0;
  const attempts = options.attempts ?? 8;

  async function placeOne(order: PlannedOrder, due = Date.now()): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        // Retries reuse the idempotency key, so a retried request never places a second order.
        const reply = await requester.request(
          PlaceOrderV1,
          PlaceOrderReplyV1,
          {
            idempotencyKey: order.idempotencyKey,
            customerId: order.customerId,
            lines: [...order.lines],
            paymentMethodId: order.paymentMethodId,
          },
          { timeoutMs: 5_000 },
        );
        if (reply.ok) placed.set(reply.orderId, { kind: order.kind, at: Date.now(), due });
        else rejected.set(reply.error, (rejected.get(reply.error) ?? 0) + 1);
        return;
      } catch (error) {
        if ((isRequestFailedError(error) && error.permanent) || attempt >= attempts) {
          failed++;
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** attempt, 3_000)));
      }
    }
  }

  if (options.rate !== undefined) {
    // Open loop: order i is due at start + i/rate whatever happened to the ones before (no waiting for replies).
    const rate = options.rate;
    const sends: Promise<void>[] = [];
    for (let i = 0; i < orders.length; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      sends.push(
        placeOne(orders[i] as PlannedOrder, due).then(() => {
          done++;
          options.onProgress?.(done);
        }),
      );
    }
    await Promise.all(sends);
    return { placed, rejected, failed, durationMs: Date.now() - started };
  }

  async function worker(): Promise<void> {
    while (next < orders.length) {
      const order = orders[next++] as PlannedOrder;
      await placeOne(order);
      done++;
      options.onProgress?.(done);
    }
  }

  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 32, orders.length) }, worker));
  return { placed, rejected, failed, durationMs: Date.now() - started };
}
