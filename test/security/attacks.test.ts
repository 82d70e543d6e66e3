// Attacks on a real nats-server running the users and permissions `eventkit auth --tls` generates from
// the reference documents. Every forged action must be rejected by the server (counted and reported as
// `N attempts, N rejected`), and each service's own traffic must still flow through its generated
// publisher, consumer, requester and responder under its own user.
import { readFileSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type NatsConnection, headers as natsHeaders } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPECIAL_USERS } from '../../src/auth/index.ts';
import { GetOrderReplyV1, GetOrderV1 } from '../../src/reference/notifications/generated/index.ts';
import {
  PaymentApprovedV1,
  PlaceOrderReplyV1,
  PlaceOrderV1,
} from '../../src/reference/orders/generated/index.ts';
import { examples as paymentsExamples } from '../../src/reference/payments/generated/index.ts';
import {
  createEnvelope,
  createPublisher,
  createRequester,
  createResponder,
  createRouter,
  DEADLETTER_STREAM,
  jetstreamTransport,
  PermanentError,
  securityConnectionOptions,
  type Transport,
} from '../../src/runtime/index.ts';
import { type SecuredServer, startSecuredServer } from './secured-server.ts';

interface Attempt {
  readonly attack: string;
  readonly actor: string;
  readonly rejected: boolean;
  readonly how: string;
}

const attempts: Attempt[] = [];
let env: SecuredServer;
const transports: Transport[] = [];

const REJECTION =
  /not permitted|permissions violation|authorization violation|authentication|certificate|tls|ssl|handshake|closed|refused|ECONNRESET|EPIPE/i;

/** Run a forged action; it counts as rejected only if the server refused it. */
async function attempt(attack: string, actor: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
    attempts.push({ attack, actor, rejected: false, how: 'succeeded' });
  } catch (error) {
    const text = `${(error as Error).message} ${String((error as { cause?: Error }).cause?.message ?? '')}`;
    attempts.push({ attack, actor, rejected: REJECTION.test(text), how: text.trim().slice(0, 120) });
  }
}

/** Subscribe and report the server's refusal (a subscription violation arrives on the callback). */
function subscribeOrThrow(nc: NatsConnection, subject: string, queue?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(), 2_000);
    nc.subscribe(subject, {
      ...(queue ? { queue } : {}),
      callback: (error) => {
        if (!error) return;
        clearTimeout(timer);
        reject(error);
      },
    });
  });
}

function transportAs(user: string): Transport {
  const transport = jetstreamTransport({ servers: env.server.url, name: user, security: env.security(user) });
  transports.push(transport);
  return transport;
}

async function adminJsm() {
  return jetstreamManager(await env.connectAs(SPECIAL_USERS.admin));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

beforeAll(async () => {
  env = await startSecuredServer();
}, 90_000);

afterAll(async () => {
  for (const t of transports) await t.close().catch(() => undefined);
  await env?.stop();
  const rejected = attempts.filter((a) => a.rejected).length;
  const width = Math.max(...attempts.map((a) => a.attack.length), 10);
  const table = attempts
    .map((a) => `  ${a.rejected ? 'rejected' : 'ALLOWED '}  ${a.attack.padEnd(width)}  ${a.actor}`)
    .join('\n');
  process.stdout.write(`\nattack table\n${table}\n${attempts.length} attempts, ${rejected} rejected\n`);
});

describe('least-privilege NATS users from the spec (real nats-server, TLS, nkeys)', () => {
  it("each service's legitimate traffic flows under its own user", async () => {
    // payments publishes through its generated publisher; orders consumes with its own durable.
    const received: string[] = [];
    const ordersRouter = createRouter({ transport: transportAs('orders'), service: 'orders' });
    ordersRouter.on(PaymentApprovedV1, {}, async (event) => {
      received.push(event.payload.orderId);
      if (event.payload.orderId === 'ord_poison') throw new PermanentError('poison for the dead-letter test');
    });
    await ordersRouter.start();
    const publisher = createPublisher({ transport: transportAs('payments'), source: 'payments' });
    const receipt = await publisher.publish(
      PaymentApprovedV1,
      paymentsExamples.PaymentApprovedV1.default({ orderId: 'ord_legit' }),
    );
    expect(receipt.stream).toBe('PAYMENTS');
    await until(() => received.includes('ord_legit'));

    // A permanent failure is dead-lettered under orders' own user (publish on deadletter.orders.>).
    await publisher.publish(
      PaymentApprovedV1,
      paymentsExamples.PaymentApprovedV1.default({ orderId: 'ord_poison' }),
    );
    const jsm = await adminJsm();
    await until(async () => (await jsm.streams.info(DEADLETTER_STREAM)).state.messages === 1);
    await until(() => ordersRouter.stats().deadLettered === 1);

    // payments may publish PaymentApproved, but not as someone else: orders' router dead-letters an event
    // whose ce-source is not its declared sender.
    await attempt('publish PaymentApproved with ce-source: notifications', 'payments', async () => {
      await publisher.publish(
        PaymentApprovedV1,
        paymentsExamples.PaymentApprovedV1.default({ orderId: 'ord_wrong_source' }),
        { source: 'notifications' },
      );
      await until(() => ordersRouter.stats().wrongSource === 1);
      if (received.includes('ord_wrong_source')) return;
      throw new Error('ce-source not permitted: dead-lettered by the consuming router');
    });
    await until(async () => (await jsm.streams.info(DEADLETTER_STREAM)).state.messages === 2);
    expect(ordersRouter.stats().deadLettered).toBe(2);

    // notifications asks orders (GetOrder); a client outside the registry places an order (PlaceOrder).
    const responder = createResponder({ transport: transportAs('orders'), service: 'orders' });
    responder.respond(GetOrderV1, GetOrderReplyV1, async (request) =>
      GetOrderReplyV1.codec.fromJson({ found: true, order: { orderId: request.payload.orderId } }),
    );
    responder.respond(PlaceOrderV1, PlaceOrderReplyV1, async () =>
      PlaceOrderReplyV1.codec.fromJson({ ok: true, orderId: 'ord_placed' }),
    );
    await responder.start();
    const notifications = createRequester({
      transport: transportAs('notifications'),
      source: 'notifications',
    });
    const reply = await notifications.request(
      GetOrderV1,
      GetOrderReplyV1,
      GetOrderV1.codec.fromJson({ orderId: 'ord_legit' }),
    );
    expect(reply.found).toBe(true);
    const client = createRequester({ transport: transportAs(SPECIAL_USERS.clients), source: 'web' });
    const placed = await client.request(
      PlaceOrderV1,
      PlaceOrderReplyV1,
      PlaceOrderV1.codec.fromJson({
        idempotencyKey: 'k1',
        customerId: 'cus_1',
        lines: [],
        paymentMethodId: 'pm_1',
      }),
    );
    expect(placed.orderId).toBe('ord_placed');

    // The monitor reads state.
    const monitor = await jetstreamManager(await env.connectAs(SPECIAL_USERS.monitor), { checkAPI: false });
    expect((await monitor.streams.info('PAYMENTS')).state.messages).toBe(3);
    await ordersRouter.drain();
    await responder.drain();
  });

  it('rejects publishing another service’s event, forged ce-source and undeclared subjects', async () => {
    const notifications = await env.connectAs('notifications');
    const js = jetstream(notifications);
    // Through payments' generated descriptor, as the issue's demonstration did.
    const forged = createEnvelope(
      PaymentApprovedV1,
      paymentsExamples.PaymentApprovedV1.default({ orderId: 'ord_forged' }),
      { source: 'notifications' },
    );
    const send = (subject: string, source: string) => {
      const h = natsHeaders();
      for (const [k, v] of Object.entries({ ...forged.headers, 'ce-source': source })) h.set(k, v);
      return js.publish(subject, forged.data, { headers: h, timeout: 3_000 });
    };
    await attempt("publish payments' PaymentApproved", 'notifications', () =>
      send(forged.subject, 'notifications'),
    );
    await attempt('publish PaymentApproved with ce-source: payments', 'notifications', () =>
      send(forged.subject, 'payments'),
    );
    await attempt('publish to an undeclared subject (orders.order-shipped.v1.x)', 'orders', async () =>
      jetstream(await env.connectAs('orders')).publish('orders.order-shipped.v1.x', forged.data, {
        timeout: 3_000,
      }),
    );
    await attempt('publish OrderPlaced (orders’ event)', 'payments', async () =>
      jetstream(await env.connectAs('payments')).publish('orders.order-placed.v1.ord_1', forged.data, {
        timeout: 3_000,
      }),
    );
    await attempt('publish PaymentApproved', SPECIAL_USERS.clients, async () =>
      jetstream(await env.connectAs(SPECIAL_USERS.clients)).publish(forged.subject, forged.data, {
        timeout: 3_000,
      }),
    );
    await attempt('publish PaymentApproved', SPECIAL_USERS.admin, async () =>
      jetstream(await env.connectAs(SPECIAL_USERS.admin)).publish(forged.subject, forged.data, {
        timeout: 3_000,
      }),
    );
    await attempt('publish PaymentApproved', SPECIAL_USERS.monitor, async () =>
      jetstream(await env.connectAs(SPECIAL_USERS.monitor)).publish(forged.subject, forged.data, {
        timeout: 3_000,
      }),
    );
    await attempt('dead-letter as another service (deadletter.orders.x)', 'payments', async () =>
      jetstream(await env.connectAs('payments')).publish('deadletter.orders.x', forged.data, {
        timeout: 3_000,
      }),
    );
    const jsm = await adminJsm();
    const stored = await jsm.streams.info('PAYMENTS', {
      subjects_filter: 'payments.payment-approved.v1.ord_forged',
    });
    expect(stored.state.subjects ?? {}).toEqual({});
  });

  it('rejects purging and deleting streams, creating and deleting consumers', async () => {
    for (const actor of ['payments', SPECIAL_USERS.monitor, SPECIAL_USERS.clients]) {
      const jsm = await jetstreamManager(await env.connectAs(actor), { checkAPI: false, timeout: 3_000 });
      await attempt('purge stream ORDERS', actor, () => jsm.streams.purge('ORDERS'));
      await attempt('delete stream DEADLETTER', actor, () => jsm.streams.delete(DEADLETTER_STREAM));
      await attempt('delete consumer orders--payment-approved-v1', actor, () =>
        jsm.consumers.delete('PAYMENTS', 'orders--payment-approved-v1'),
      );
      await attempt('create a consumer on ORDERS', actor, () =>
        jsm.consumers.add('ORDERS', { durable_name: `${actor}-spy`, ack_policy: 'explicit' as never }),
      );
      await attempt('create a stream', actor, () => jsm.streams.add({ name: 'SPY', subjects: ['spy.>'] }));
      await attempt('delete a message from ORDERS', actor, () => jsm.streams.deleteMessage('ORDERS', 1));
    }
    // Even the admin cannot purge a stream or delete its messages: provisioned with deny_purge / deny_delete.
    const admin = await adminJsm();
    await attempt('purge stream ORDERS (deny_purge)', SPECIAL_USERS.admin, () =>
      admin.streams.purge('ORDERS'),
    );
    await attempt('delete a message from PAYMENTS (deny_delete)', SPECIAL_USERS.admin, () =>
      admin.streams.deleteMessage('PAYMENTS', 1),
    );
    const jsm = await adminJsm();
    expect((await jsm.streams.info('PAYMENTS')).state.messages).toBeGreaterThan(0);
    expect((await jsm.streams.info(DEADLETTER_STREAM)).config.name).toBe(DEADLETTER_STREAM);
    expect((await jsm.consumers.info('PAYMENTS', 'orders--payment-approved-v1')).name).toBe(
      'orders--payment-approved-v1',
    );
  });

  it('rejects acking or fetching on another service’s durable', async () => {
    // A message inventory has been delivered but not acked yet.
    const orders = jetstream(await env.connectAs('orders'));
    await orders.publish('orders.order-paid.v1.ord_ack', new Uint8Array([1]), { msgID: 'ack-target' });
    const inventory = jetstream(await env.connectAs('inventory'));
    const consumer = await inventory.consumers.get('ORDERS', 'inventory--order-paid-v1');
    const msg = await consumer.next({ expires: 5_000 });
    expect(msg?.subject).toBe('orders.order-paid.v1.ord_ack');
    const ackSubject = (msg as unknown as { msg: { reply: string } }).msg.reply;

    const notifications = await env.connectAs('notifications');
    await attempt("ack inventory's message through its $JS.ACK subject", 'notifications', () =>
      notifications.request(ackSubject, new TextEncoder().encode('+ACK'), { timeout: 3_000 }),
    );
    await attempt("fetch from inventory's durable (MSG.NEXT)", 'notifications', () =>
      notifications.request(
        '$JS.API.CONSUMER.MSG.NEXT.ORDERS.inventory--order-paid-v1',
        new TextEncoder().encode('{"batch":1}'),
        {
          timeout: 3_000,
        },
      ),
    );
    await attempt("read inventory's durable (CONSUMER.INFO)", 'payments', async () =>
      jetstream(await env.connectAs('payments')).consumers.get('ORDERS', 'inventory--order-paid-v1'),
    );
    const jsm = await adminJsm();
    expect((await jsm.consumers.info('ORDERS', 'inventory--order-paid-v1')).num_ack_pending).toBe(1);
    msg?.ack();
    await until(
      async () => (await jsm.consumers.info('ORDERS', 'inventory--order-paid-v1')).num_ack_pending === 0,
    );
  });

  it('rejects subscribing to another service’s requests and replies', async () => {
    const payments = await env.connectAs('payments');
    await attempt("subscribe to orders' request subject query.orders.get-order.v1", 'payments', () =>
      subscribeOrThrow(payments, 'query.orders.get-order.v1'),
    );
    await attempt("queue-subscribe to orders' command cmd.orders.place-order.v1", 'payments', () =>
      subscribeOrThrow(payments, 'cmd.orders.place-order.v1', 'orders'),
    );
    await attempt("subscribe to notifications' reply inbox _INBOX_notifications.>", 'payments', () =>
      subscribeOrThrow(payments, '_INBOX_notifications.>'),
    );
    await attempt('subscribe to the shared inbox _INBOX.>', 'payments', () =>
      subscribeOrThrow(payments, '_INBOX.>'),
    );
    await attempt("subscribe to orders' event stream subjects", 'payments', () =>
      subscribeOrThrow(payments, 'orders.>'),
    );
    await attempt('subscribe to everything (>)', SPECIAL_USERS.clients, async () =>
      subscribeOrThrow(await env.connectAs(SPECIAL_USERS.clients), '>'),
    );
  });

  it('rejects anonymous, plaintext, certificate-less and forged connections', async () => {
    const tls = env.auth.tls;
    if (!tls) throw new Error('no TLS');
    await attempt('connect anonymously (TLS, no credentials)', 'anyone', () =>
      connect({
        servers: env.server.url,
        timeout: 3_000,
        maxReconnectAttempts: 0,
        tls: { caFile: tls.caFile, certFile: tls.clientCertFile, keyFile: tls.clientKeyFile },
      }),
    );
    await attempt('connect in plaintext to the TLS-only server (raw CONNECT)', 'anyone', () =>
      plaintextConnect(env.server.port),
    );
    await attempt('connect without a client certificate', 'payments', async () => {
      const refusals = () => (env.server.log().match(/didn't provide a certificate/g) ?? []).length;
      const before = refusals();
      await connect({
        servers: env.server.url,
        timeout: 3_000,
        maxReconnectAttempts: 0,
        ...securityConnectionOptions({
          nkeySeedFile: env.security('payments').nkeySeedFile ?? '',
          caFile: tls.caFile,
        }),
      }).catch(async (error: Error) => {
        // The client only sees its connect time out; the server's log says why.
        await until(() => refusals() > before, 5_000);
        throw new Error(
          `TLS handshake refused by the server (client didn't provide a certificate): ${error.message}`,
        );
      });
    });
    const forgedSeed = `${env.secretsDir}/forged.nk`;
    const { nkeys } = await import('@nats-io/nats-core');
    writeFileSync(forgedSeed, new TextDecoder().decode(nkeys.createUser().getSeed()), { mode: 0o600 });
    await attempt('connect with an nkey the config does not know', 'forger', () =>
      env.connectAs('payments', { nkeySeedFile: forgedSeed }),
    );
  });

  it('rejects a revoked key after a config reload, and keeps the new one working', async () => {
    const oldSeed = readFileSync(env.security('payments').nkeySeedFile ?? '', 'utf8');
    const oldSeedFile = `${env.secretsDir}/payments-old.nk`;
    writeFileSync(oldSeedFile, oldSeed, { mode: 0o600 });
    const before = await env.connectAs('payments', { nkeySeedFile: oldSeedFile });
    const closed = before.closed();
    await env.regenerate(['payments']);
    await attempt('connect with payments’ revoked key after reload', 'payments (old key)', () =>
      env.connectAs('payments', { nkeySeedFile: oldSeedFile }),
    );
    // The server drops connections of the revoked key on reload.
    await attempt('keep using a connection opened with the revoked key', 'payments (old key)', async () => {
      await Promise.race([closed, sleep(5_000)]);
      if (before.isClosed()) throw new Error('connection closed by the server (authorization revoked)');
      await before.request('payments.payment-approved.v1.x', new Uint8Array(), { timeout: 2_000 });
    });
    const now = createPublisher({ transport: transportAs('payments'), source: 'payments' });
    const receipt = await now.publish(
      PaymentApprovedV1,
      paymentsExamples.PaymentApprovedV1.default({ orderId: 'ord_rotated' }),
    );
    expect(receipt.stream).toBe('PAYMENTS');
  });

  it('reports every forged action as rejected', () => {
    const allowed = attempts.filter((a) => !a.rejected);
    expect(allowed.map((a) => `${a.attack} by ${a.actor}: ${a.how}`)).toEqual([]);
    expect(attempts.length).toBeGreaterThanOrEqual(30);
  });
});

/** Speak the NATS protocol in plaintext to a TLS-only server: it must never answer PING with PONG. */
function plaintextConnect(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no PONG in plaintext: connection refused by TLS handshake (${text.slice(0, 60)}…)`));
    }, 3_000);
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (text.startsWith('INFO') && !text.includes('CONNECT_SENT')) {
        text += 'CONNECT_SENT';
        socket.write('CONNECT {"verbose":false,"pedantic":false}\r\nPING\r\n');
      }
      if (/PONG/.test(text)) {
        clearTimeout(timer);
        socket.destroy();
        resolve();
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`connection closed by the TLS-only server: ${text.slice(0, 80)}`));
    });
    socket.on('error', () => undefined);
  });
}
