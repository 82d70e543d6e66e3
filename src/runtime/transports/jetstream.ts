// NATS JetStream transport: publish with Nats-Msg-Id and wait for the PubAck; durable pull consumers
// (created or updated on consume) with explicit ack.

import {
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { type MsgHdrs, type NatsConnection, headers as natsHeaders } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { OutboundMessage, PublishReceipt } from '../api.ts';
import { TransportError, type TransportErrorCode } from '../errors.ts';
import { redactSecrets } from '../redact.ts';
import type {
  ConsumerState,
  ConsumeSpec,
  CoreMessage,
  Delivery,
  DeliveryListener,
  RequestListener,
  StreamSpec,
  Subscription,
  Transport,
  TransportFeatures,
} from '../transport.ts';
import {
  type NatsSecurityOptions,
  securityConnectionOptions,
  securityFromEnv,
} from './connection-security.ts';
import {
  desiredConsumerView,
  diffFields,
  liveConsumerView,
  toConsumerConfig,
  toStreamConfig,
} from './jetstream-config.ts';

/** Lifetime of one pull request of a durable consumer (see consume()). */
const PULL_EXPIRES_MS = 5_000;

export const jetstreamFeatures: TransportFeatures = {
  persistent: true,
  delayedRedelivery: true,
  deduplication: true,
  competingConsumers: true,
  brokerRestart: true,
};

export interface JetStreamTransportOptions {
  /**
   * Server URL(s), an array or a comma-separated string (a cluster: every server's URL); default `NATS_URL`
   * or `nats://127.0.0.1:4222`. Ignored when `connection` is given.
   */
  readonly servers?: string | readonly string[];
  /** Use an existing connection (not closed by `close()`). */
  readonly connection?: NatsConnection;
  /** Connection name shown by the server. */
  readonly name?: string;
  /** PubAck timeout. Default 5 s. */
  readonly publishTimeoutMs?: number;
  /** How long the first connect may take. Default 5 s. */
  readonly connectTimeoutMs?: number;
  /** Credentials, TLS and inbox prefix; each unset field falls back to its environment variable (`NATS_NKEY_SEED_FILE`, `NATS_CA`, …). */
  readonly security?: NatsSecurityOptions;
}

/** Map a nats.js error to a TransportError that says whether to retry. */
export function toTransportError(error: unknown, what: string): TransportError {
  if (error instanceof TransportError) return error;
  const e = error instanceof Error ? error : new Error(String(error));
  let code: TransportErrorCode = 'rejected';
  const status = (e as { status?: unknown }).status;
  if (e.name === 'TimeoutError') code = 'timeout';
  else if (e.name === 'JetStreamNotEnabled' || e.name === 'NoResponders') code = 'no-responders';
  else if (e.name === 'RequestError' && /no responders/i.test(e.message)) code = 'no-responders';
  else if (e.name === 'ClosedConnectionError' || e.name === 'DrainingConnectionError') code = 'closed';
  else if (e.name === 'ConnectionError') code = 'unavailable';
  else if (e.name === 'StreamNotFoundError' || e.name === 'ConsumerNotFoundError') code = 'not-found';
  else if (status === 503) code = 'unavailable';
  return new TransportError(code, `${what}: ${e.message}`, { cause: e });
}

/**
 * The server list of a URL option: a cluster is given as several URLs, either as an array or as one
 * comma-separated string (as the nats CLI takes it: `NATS_URL=nats://a:4222,nats://b:4222`).
 */
export function natsServerList(servers: string | readonly string[]): string[] {
  const list = typeof servers === 'string' ? servers.split(',') : servers;
  return list.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Connect to NATS; a TransportError('unavailable') with the URL when nothing answers. */
export async function connectNats(options: JetStreamTransportOptions = {}): Promise<NatsConnection> {
  const servers = options.servers ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const security = securityConnectionOptions({ ...securityFromEnv(), ...options.security });
  try {
    return await connect({
      ...security,
      // Every server of a cluster: the client fails over between them (and learns the rest from INFO).
      servers: natsServerList(servers),
      name: options.name ?? 'eventkit',
      timeout: options.connectTimeoutMs ?? 5_000,
      // Keep trying through broker restarts; in-flight publishes fail by timeout and are retried.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      waitOnFirstConnect: false,
    });
  } catch (error) {
    throw new TransportError(
      'unavailable',
      `cannot connect to NATS at ${redactSecrets(String(servers))}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** Header map of a message; first value of each key (MsgHdrs.get is a linear search per key). */
function headersOf(msg: { headers?: MsgHdrs }): Record<string, string> {
  const out: Record<string, string> = {};
  const h = msg.headers as (MsgHdrs & Iterable<[string, string[]]>) | undefined;
  if (!h) return out;
  for (const [key, values] of h) out[key] = values[0] ?? '';
  return out;
}

function toNatsHeaders(values: Readonly<Record<string, string>>): MsgHdrs | undefined {
  const entries = Object.entries(values);
  if (entries.length === 0) return undefined;
  const h = natsHeaders();
  for (const [key, value] of entries) h.set(key, value);
  return h;
}

const utf8 = new TextDecoder();

/** The raw header block nats.js keeps on a message, when its (internal) shape is the known one. */
function rawHeaderBlock(msg: JsMsg): Uint8Array | undefined {
  const inner = (msg as unknown as { msg?: { _rdata?: unknown; _msg?: { hdr?: unknown } } }).msg;
  const data = inner?._rdata;
  const hdr = inner?._msg?.hdr;
  if (!(data instanceof Uint8Array) || typeof hdr !== 'number' || hdr <= 0 || hdr > data.length)
    return undefined;
  return data.subarray(0, hdr);
}

/**
 * Headers of a delivered message. Parses the `NATS/1.0` block directly (nats.js' MsgHdrs decoding
 * costs more than the rest of a typed consume); falls back to MsgHdrs when the block is not there.
 */
export function readHeaders(msg: JsMsg): Record<string, string> {
  const block = rawHeaderBlock(msg);
  if (!block) return headersOf(msg);
  const text = utf8.decode(block);
  if (!text.startsWith('NATS/1.0')) return headersOf(msg);
  const out: Record<string, string> = {};
  let start = text.indexOf('\r\n') + 2;
  while (start > 1 && start < text.length) {
    let end = text.indexOf('\r\n', start);
    if (end < 0) end = text.length;
    if (end === start) break;
    const colon = text.indexOf(':', start);
    if (colon > start && colon < end) {
      const key = text.slice(start, colon).trim();
      if (!(key in out)) out[key] = text.slice(colon + 1, end).trim();
    }
    start = end + 2;
  }
  return out;
}

/** A JetStream message as a Delivery; headers are read on first use (a class: no closures per message). */
class JetStreamDelivery implements Delivery {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly deliveryCount: number;
  readonly stream: string;
  readonly streamSequence: number;
  readonly consumer: string;
  private readonly msg: JsMsg;
  private readonly timestampNanos: number;
  private cachedHeaders: Record<string, string> | undefined;

  constructor(msg: JsMsg, consumer: string) {
    const info = msg.info;
    this.msg = msg;
    this.subject = msg.subject;
    this.data = msg.data;
    this.deliveryCount = info.deliveryCount;
    this.stream = info.stream;
    this.streamSequence = info.streamSequence;
    this.timestampNanos = info.timestampNanos;
    this.consumer = consumer;
  }
  get headers(): Readonly<Record<string, string>> {
    this.cachedHeaders ??= readHeaders(this.msg);
    return this.cachedHeaders;
  }
  get storedAt(): Date {
    return new Date(Math.floor(this.timestampNanos / 1_000_000));
  }
  ack(): void {
    this.msg.ack();
  }
  nak(delayMs?: number): void {
    this.msg.nak(delayMs && delayMs > 0 ? delayMs : undefined);
  }
  // The reason is not sent: nats-server before 2.10 ignores "+TERM <reason>" entirely, which leaves the
  // message pending and redelivers it after the ack wait. Dead letters and logs carry the reason instead.
  term(_reason?: string): void {
    this.msg.term();
  }
  working(): void {
    this.msg.working();
  }
}

async function ensureConsumer(jsm: JetStreamManager, spec: ConsumeSpec): Promise<string> {
  const config = toConsumerConfig(spec);
  if (!spec.durable) {
    const info = await jsm.consumers.add(spec.stream, config);
    return info.name;
  }
  try {
    const info = await jsm.consumers.info(spec.stream, spec.durable);
    const drift = diffFields(liveConsumerView(info.config), desiredConsumerView(spec), new Set());
    const updatable = drift.filter((d) => d.field !== 'deliverPolicy');
    if (updatable.length > 0) {
      const {
        durable_name: _d,
        deliver_policy: _p,
        opt_start_seq: _s,
        opt_start_time: _t,
        ...update
      } = config;
      await jsm.consumers.update(spec.stream, spec.durable, update);
    }
    return spec.durable;
  } catch (error) {
    if ((error as Error).name !== 'ConsumerNotFoundError') throw error;
  }
  await jsm.consumers.add(spec.stream, config);
  return spec.durable;
}

export function jetstreamTransport(options: JetStreamTransportOptions = {}): Transport & {
  /** The underlying connection (for request/reply and tools). */
  connection(): Promise<NatsConnection>;
} {
  let ncPromise: Promise<NatsConnection> | undefined;
  let clients: Promise<{ nc: NatsConnection; js: JetStreamClient; jsm: JetStreamManager }> | undefined;
  const owned = options.connection === undefined;
  const subscriptions = new Set<Subscription>();
  const publishTimeoutMs = options.publishTimeoutMs ?? 5_000;
  let closed = false;

  const connection = (): Promise<NatsConnection> => {
    ncPromise ??= options.connection ? Promise.resolve(options.connection) : connectNats(options);
    return ncPromise;
  };
  // Once connected, the hot paths skip awaiting the (resolved) client promise.
  let ready: { nc: NatsConnection; js: JetStreamClient; jsm: JetStreamManager } | undefined;
  const api = () => {
    if (closed) throw new TransportError('closed', 'transport is closed');
    clients ??= connection().then(async (nc) => {
      // checkAPI off: the account-info probe needs a permission ($JS.API.INFO) services are not given.
      ready = { nc, js: jetstream(nc), jsm: await jetstreamManager(nc, { checkAPI: false }) };
      return ready;
    });
    return clients;
  };

  return {
    kind: 'jetstream',
    features: jetstreamFeatures,
    connection,

    async publish(msg: OutboundMessage, opts?: { timeoutMs?: number }): Promise<PublishReceipt> {
      if (closed) throw new TransportError('closed', 'transport is closed');
      const { js } = ready ?? (await api());
      const h = natsHeaders();
      for (const key in msg.headers) h.set(key, msg.headers[key] as string);
      try {
        const ack = await js.publish(msg.subject, msg.data, {
          msgID: msg.id,
          headers: h,
          timeout: opts?.timeoutMs ?? publishTimeoutMs,
        });
        return {
          id: msg.id,
          subject: msg.subject,
          stream: ack.stream,
          seq: ack.seq,
          duplicate: ack.duplicate,
        };
      } catch (error) {
        throw toTransportError(error, `publish to ${msg.subject}`);
      }
    },

    async ensureStream(spec: StreamSpec, opts?: { update?: boolean }): Promise<void> {
      const { jsm } = await api();
      const config = { ...toStreamConfig(spec), name: spec.name };
      try {
        await jsm.streams.info(spec.name);
        if (opts?.update === false) return;
        const { retention: _r, storage: _s, ...update } = config;
        await jsm.streams.update(spec.name, update).catch((error: unknown) => {
          throw toTransportError(error, `update stream ${spec.name}`);
        });
        return;
      } catch (error) {
        if ((error as Error).name !== 'StreamNotFoundError')
          throw toTransportError(error, `stream ${spec.name}`);
      }
      try {
        await jsm.streams.add(config);
      } catch (error) {
        throw toTransportError(error, `create stream ${spec.name}`);
      }
    },

    async consume(spec: ConsumeSpec, listener: DeliveryListener): Promise<Subscription> {
      const { js, jsm } = await api();
      let name: string;
      try {
        name = await ensureConsumer(jsm, spec);
      } catch (error) {
        const failure = toTransportError(
          error,
          `consumer ${spec.durable ?? '(ephemeral)'} on stream ${spec.stream}`,
        );
        if (failure.code !== 'not-found') throw failure;
        throw new TransportError(
          'not-found',
          `${failure.message} (create the streams first: eventkit provision)`,
          {
            cause: error,
          },
        );
      }
      const consumer = await js.consumers.get(spec.stream, name);
      let stopped = false;
      const messages: ConsumerMessages = await consumer.consume({
        max_messages: spec.prefetch ?? Math.max(1, Math.min(spec.maxAckPending, 256)),
        // Pulls expire after 5 s (nats.js default 30 s): when a consumer's leader moves to another server
        // (a cluster member died) the pending pull is gone, and the client notices only after two missed
        // idle heartbeats (half the expiry each); 5 s instead of 30 s of silence.
        expires: PULL_EXPIRES_MS,
        callback: (m: JsMsg) => {
          // A pull already in flight when we stopped: give the message back at once.
          if (stopped) m.nak();
          else listener(new JetStreamDelivery(m, name));
        },
      });
      const subscription: Subscription = {
        consumer: name,
        async stop() {
          if (stopped) return;
          stopped = true;
          subscriptions.delete(subscription);
          await messages.close().catch(() => undefined);
          if (!spec.durable) await jsm.consumers.delete(spec.stream, name).catch(() => undefined);
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },

    async serve(subject: string, queue: string, listener: RequestListener): Promise<Subscription> {
      const { nc } = await api();
      const sub = nc.subscribe(subject, {
        queue,
        callback: (error, msg) => {
          if (error) return;
          void listener({ subject: msg.subject, data: msg.data, headers: headersOf(msg) }).then(
            (reply) => {
              const h = toNatsHeaders(reply.headers);
              msg.respond(reply.data, h ? { headers: h } : undefined);
            },
            () => undefined,
          );
        },
      });
      const subscription: Subscription = {
        consumer: `${subject}#${queue}`,
        async stop() {
          subscriptions.delete(subscription);
          await sub.drain().catch(() => undefined);
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },

    async request(msg: CoreMessage, opts: { timeoutMs: number }): Promise<CoreMessage> {
      const { nc } = await api();
      const h = toNatsHeaders(msg.headers);
      try {
        const reply = await nc.request(msg.subject, msg.data, {
          timeout: opts.timeoutMs,
          ...(h ? { headers: h } : {}),
        });
        return { subject: reply.subject, data: reply.data, headers: headersOf(reply) };
      } catch (error) {
        throw toTransportError(error, `request to ${msg.subject}`);
      }
    },

    async consumerState(stream: string, consumer: string): Promise<ConsumerState | undefined> {
      const { jsm } = await api();
      try {
        const info = await jsm.consumers.info(stream, consumer);
        return { name: consumer, stream, ackPending: info.num_ack_pending, pending: info.num_pending };
      } catch (error) {
        if ((error as Error).name === 'ConsumerNotFoundError') return undefined;
        throw toTransportError(error, `consumer ${consumer}`);
      }
    },

    async close(): Promise<void> {
      if (closed) return;
      for (const s of [...subscriptions]) await s.stop();
      closed = true;
      if (!ncPromise) return;
      const nc = await ncPromise.catch(() => undefined);
      // drain() flushes pending acks before closing.
      if (nc && owned && !nc.isClosed()) await nc.drain().catch(() => nc.close());
    },
  };
}
