// A small HTTP way in, for people and tools without a NATS client: it forwards to the same PlaceOrder /
// GetOrder request/reply the services use, so there is one code path for commands.
//
//   POST /orders      {"customerId","paymentMethodId","lines":[{"productId","quantity"}],"idempotencyKey"?}
//                     → 201 {orderId,total} | 422 {error,message} (refused) | 400 (not JSON / wrong shape)
//   GET  /orders/:id  → 200 order view | 404

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isRequestFailedError, isTransportError, type Requester } from '../../runtime/index.ts';
import {
  GetOrderReplyV1,
  GetOrderV1,
  type ordersV1,
  PlaceOrderReplyV1,
  PlaceOrderV1,
} from './generated/index.ts';

export interface OrdersHttpApi {
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new SyntaxError(`body larger than ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** Checks the JSON shape only; business rules (known products, quantities) stay with orders. */
function toPlaceOrder(body: unknown): ordersV1.PlaceOrder | string {
  if (typeof body !== 'object' || body === null) return 'the body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b.customerId !== 'string' || typeof b.paymentMethodId !== 'string')
    return 'customerId and paymentMethodId must be strings';
  if (!Array.isArray(b.lines)) return 'lines must be an array of {productId, quantity}';
  const lines: ordersV1.PlaceOrder['lines'] = [];
  for (const [i, line] of b.lines.entries()) {
    const l = line as Record<string, unknown>;
    if (typeof l?.productId !== 'string' || typeof l.quantity !== 'number' || !Number.isInteger(l.quantity))
      return `lines[${i}] must be {productId: string, quantity: integer}`;
    lines.push({ productId: l.productId, quantity: l.quantity });
  }
  return {
    idempotencyKey: typeof b.idempotencyKey === 'string' ? b.idempotencyKey : randomUUID(),
    customerId: b.customerId,
    paymentMethodId: b.paymentMethodId,
    lines,
  };
}

export async function startOrdersHttpApi(
  requester: Requester,
  port = 0,
  host = '127.0.0.1',
): Promise<OrdersHttpApi> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        if (req.method === 'POST' && path === '/orders') {
          let body: unknown;
          try {
            body = await readJson(req);
          } catch (error) {
            return send(res, 400, { error: 'MALFORMED_JSON', message: (error as Error).message });
          }
          const command = toPlaceOrder(body);
          if (typeof command === 'string')
            return send(res, 400, { error: 'MALFORMED_COMMAND', message: command });
          const reply = await requester.request(PlaceOrderV1, PlaceOrderReplyV1, command, {
            timeoutMs: 5_000,
          });
          if (!reply.ok) return send(res, 422, { error: reply.error, message: reply.errorMessage });
          return send(res, 201, { orderId: reply.orderId, total: reply.total });
        }
        const match = /^\/orders\/([A-Za-z0-9_-]+)$/.exec(path);
        if (req.method === 'GET' && match) {
          const reply = await requester.request(
            GetOrderV1,
            GetOrderReplyV1,
            { orderId: match[1] as string },
            { timeoutMs: 5_000 },
          );
          return reply.found
            ? send(res, 200, reply.order)
            : send(res, 404, { error: 'NOT_FOUND', message: `no order ${match[1]}` });
        }
        return send(res, 404, { error: 'NOT_FOUND', message: 'POST /orders or GET /orders/:id' });
      } catch (error) {
        if (isRequestFailedError(error))
          return send(res, error.permanent ? 400 : 503, { error: 'REQUEST_FAILED', message: error.message });
        if (isTransportError(error))
          return send(res, 503, { error: 'ORDERS_UNAVAILABLE', message: error.message });
        return send(res, 500, { error: 'INTERNAL', message: (error as Error).message });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${actualPort}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
