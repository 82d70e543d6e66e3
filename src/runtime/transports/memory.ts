// In-memory broker with JetStream's delivery semantics: streams, durable pull consumers shared by
// competing subscriptions, explicit ack, nak with delay, ack-wait timeouts with backoff, max deliver,
// a duplicate window on `Nats-Msg-Id`, and per-subject order. For tests and single-process demos.
import type { OutboundMessage, PublishReceipt } from '../api.ts';
import { RuntimeUsageError, TransportError } from '../errors.ts';
import { subjectMatches } from '../subjects.ts';
import {
  type ConsumerState,
  type ConsumeSpec,
  type CoreMessage,
  type Delivery,
  type DeliveryListener,
  effectiveAckWaitMs,
  type RequestListener,
  type StreamSpec,
  type Subscription,
  type Transport,
  type TransportFeatures,
} from '../transport.ts';

interface StoredMessage {
  readonly seq: number;
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
  readonly storedAt: Date;
}

class MemoryStream {
  spec: StreamSpec;
  readonly messages: StoredMessage[] = [];
  lastSeq = 0;
  /** msg id → time stored, insertion ordered so expiry is a prefix scan. */
  readonly recentIds = new Map<string, { seq: number; at: number }>();
  constructor(spec: StreamSpec) {
    this.spec = spec;
  }

  find(seq: number): StoredMessage | undefined {
    // Messages are seq-ordered; limits only drop from the front.
    const first = this.messages[0];
    if (!first) return undefined;
    return this.messages[seq - first.seq];
  }

  applyLimits(now: number): void {
    const { maxMsgs, maxAgeMs } = this.spec;
    while (maxMsgs > 0 && this.messages.length > maxMsgs) this.messages.shift();
    while (
      maxAgeMs > 0 &&
      this.messages.length > 0 &&
      now - (this.messages[0]?.storedAt.getTime() ?? now) > maxAgeMs
    )
      this.messages.shift();
  }
}

interface PendingEntry {
  deliveryCount: number;
  timer?: NodeJS.Timeout;
  /** Bumped on every (re)delivery so settling a stale delivery does nothing. */
  epoch: number;
}

interface MemorySubscriber {
  readonly listener: DeliveryListener;
  active: boolean;
}

class MemoryConsumer {
  readonly name: string;
  readonly stream: MemoryStream;
  spec: ConsumeSpec;
  readonly ephemeral: boolean;
  /** Next stream sequence to look at for new deliveries. */
  cursor: number;
  readonly pending = new Map<number, PendingEntry>();
  /** Redeliveries waiting for their time: seq → due time (ms). */
  readonly redeliveries = new Map<number, number>();
  /** Delivery counts of messages that were delivered at least once (kept across nak/timeout). */
  readonly deliveryCounts = new Map<number, number>();
  readonly subscribers: MemorySubscriber[] = [];
  private roundRobin = 0;
  private wakeTimer: NodeJS.Timeout | undefined;
  private pumping = false;
  private readonly broker: MemoryBroker;

  constructor(
    broker: MemoryBroker,
    name: string,
    stream: MemoryStream,
    spec: ConsumeSpec,
    ephemeral: boolean,
  ) {
    this.broker = broker;
    this.name = name;
    this.stream = stream;
    this.spec = spec;
    this.ephemeral = ephemeral;
    this.cursor = this.startSequence(spec);
  }

  private startSequence(spec: ConsumeSpec): number {
    const policy = spec.deliverPolicy;
    if (policy === 'all') return 1;
    if (policy === 'new') return this.stream.lastSeq + 1;
    if ('startSequence' in policy) return Math.max(1, policy.startSequence);
    const t = Date.parse(policy.startTime);
    const first = this.stream.messages.find((m) => m.storedAt.getTime() >= t);
    return first ? first.seq : this.stream.lastSeq + 1;
  }

  /** Hand out as many messages as subscribers and max ack pending allow. */
  pump(): void {
    if (this.pumping || this.broker.closed) return;
    this.pumping = true;
    try {
      while (this.pending.size < this.spec.maxAckPending) {
        if (!this.subscribers.some((sub) => sub.active)) return;
        const msg = this.nextMessage();
        if (!msg) return;
        this.deliver(msg, this.nextSubscriber() as MemorySubscriber);
      }
    } finally {
      this.pumping = false;
    }
  }

  private nextSubscriber(): MemorySubscriber | undefined {
    const active = this.subscribers.filter((s) => s.active);
    if (active.length === 0) return undefined;
    this.roundRobin = (this.roundRobin + 1) % active.length;
    return active[this.roundRobin];
  }

  private nextMessage(): StoredMessage | undefined {
    // Due redeliveries first, lowest sequence first (as JetStream does).
    const now = Date.now();
    let dueSeq: number | undefined;
    let nextDue = Number.POSITIVE_INFINITY;
    for (const [seq, due] of this.redeliveries) {
      if (due <= now) {
        if (dueSeq === undefined || seq < dueSeq) dueSeq = seq;
      } else if (due < nextDue) nextDue = due;
    }
    if (dueSeq !== undefined) {
      this.redeliveries.delete(dueSeq);
      const msg = this.stream.find(dueSeq);
      if (msg) return msg;
      this.deliveryCounts.delete(dueSeq);
      return this.nextMessage();
    }
    if (nextDue !== Number.POSITIVE_INFINITY) this.wakeAt(nextDue);
    while (this.cursor <= this.stream.lastSeq) {
      const seq = this.cursor++;
      const msg = this.stream.find(seq);
      if (msg && subjectMatches(this.spec.filterSubject, msg.subject)) return msg;
    }
    return undefined;
  }

  private wakeAt(due: number): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = undefined;
        this.pump();
      },
      Math.max(0, due - Date.now()),
    );
  }

  private deliver(msg: StoredMessage, subscriber: MemorySubscriber): void {
    const deliveryCount = (this.deliveryCounts.get(msg.seq) ?? 0) + 1;
    this.deliveryCounts.set(msg.seq, deliveryCount);
    const previous = this.pending.get(msg.seq);
    const entry: PendingEntry = { deliveryCount, epoch: (previous?.epoch ?? 0) + 1 };
    this.pending.set(msg.seq, entry);
    this.armAckTimer(msg.seq, entry);
    const epoch = entry.epoch;
    const current = () => {
      const e = this.pending.get(msg.seq);
      return e && e.epoch === epoch ? e : undefined;
    };
    const delivery: Delivery = {
      subject: msg.subject,
      data: msg.data,
      headers: msg.headers,
      deliveryCount,
      stream: this.stream.spec.name,
      streamSequence: msg.seq,
      consumer: this.name,
      storedAt: msg.storedAt,
      ack: () => {
        if (current()) this.settle(msg.seq, 'ack');
      },
      term: () => {
        if (current()) this.settle(msg.seq, 'term');
      },
      nak: (delayMs?: number) => {
        if (current()) this.redeliverLater(msg.seq, delayMs ?? 0);
      },
      working: () => {
        const e = current();
        if (e) this.armAckTimer(msg.seq, e);
      },
    };
    queueMicrotask(() => {
      // A subscriber that stopped meanwhile gives the message back at once.
      if (subscriber.active) subscriber.listener(delivery);
      else delivery.nak();
    });
  }

  private armAckTimer(seq: number, entry: PendingEntry): void {
    if (entry.timer) clearTimeout(entry.timer);
    const epoch = entry.epoch;
    entry.timer = setTimeout(
      () => {
        const e = this.pending.get(seq);
        if (e && e.epoch === epoch) this.redeliverLater(seq, 0);
      },
      effectiveAckWaitMs(this.spec, entry.deliveryCount),
    );
  }

  private settle(seq: number, _how: 'ack' | 'term'): void {
    const entry = this.pending.get(seq);
    if (entry?.timer) clearTimeout(entry.timer);
    this.pending.delete(seq);
    this.deliveryCounts.delete(seq);
    this.pump();
  }

  private redeliverLater(seq: number, delayMs: number): void {
    const entry = this.pending.get(seq);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    this.pending.delete(seq);
    if (entry.deliveryCount >= this.spec.maxDeliver) {
      // Like JetStream: after max deliver the message is no longer redelivered.
      this.deliveryCounts.delete(seq);
    } else {
      const due = Date.now() + delayMs;
      this.redeliveries.set(seq, due);
      if (delayMs > 0) this.wakeAt(Math.min(due, this.nextWake()));
    }
    this.pump();
  }

  private nextWake(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const due of this.redeliveries.values()) next = Math.min(next, due);
    return next;
  }

  numPending(): number {
    let n = this.redeliveries.size;
    for (let seq = this.cursor; seq <= this.stream.lastSeq; seq++) {
      const msg = this.stream.find(seq);
      if (msg && subjectMatches(this.spec.filterSubject, msg.subject)) n++;
    }
    return n;
  }

  dispose(): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    for (const entry of this.pending.values()) if (entry.timer) clearTimeout(entry.timer);
  }
}

/** The shared broker state; several transports (connections) can attach to one broker. */
export class MemoryBroker {
  readonly streams = new Map<string, MemoryStream>();
  readonly consumers = new Map<string, MemoryConsumer>();
  closed = false;
  private ephemeralCounter = 0;
  /** Core request/reply responders: subject → queue groups → members (round robin). */
  readonly responders = new Map<string, Map<string, { members: RequestListener[]; next: number }>>();

  async request(msg: CoreMessage, timeoutMs: number): Promise<CoreMessage> {
    const groups = [...(this.responders.get(msg.subject)?.values() ?? [])].filter(
      (g) => g.members.length > 0,
    );
    if (groups.length === 0) throw new TransportError('no-responders', `no responders for ${msg.subject}`);
    // Like NATS, every queue group gets the request; the first reply wins.
    const replies = groups.map((g) => {
      const member = g.members[g.next++ % g.members.length] as RequestListener;
      return member({ subject: msg.subject, data: msg.data.slice(), headers: { ...msg.headers } });
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new TransportError('timeout', `request to ${msg.subject} timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      const reply = await Promise.race([Promise.any(replies), timeout]);
      return { subject: msg.subject, data: reply.data, headers: reply.headers };
    } finally {
      clearTimeout(timer);
    }
  }

  ensureStream(spec: StreamSpec, update = true): void {
    for (const other of this.streams.values()) {
      if (other.spec.name === spec.name) continue;
      const overlap = spec.subjects.find((s) =>
        other.spec.subjects.some((o) => subjectMatches(o, s) || subjectMatches(s, o)),
      );
      if (overlap)
        throw new TransportError('rejected', `subjects overlap with stream ${other.spec.name}: ${overlap}`);
    }
    const existing = this.streams.get(spec.name);
    if (existing) {
      if (update) existing.spec = spec;
    } else this.streams.set(spec.name, new MemoryStream(spec));
  }

  publish(msg: OutboundMessage): PublishReceipt {
    if (this.closed) throw new TransportError('closed', 'memory broker is closed');
    const stream = [...this.streams.values()].find((s) =>
      s.spec.subjects.some((f) => subjectMatches(f, msg.subject)),
    );
    if (!stream) throw new TransportError('no-responders', `no stream stores subject ${msg.subject}`);
    const now = Date.now();
    for (const [id, seen] of stream.recentIds) {
      if (now - seen.at < stream.spec.duplicateWindowMs) break;
      stream.recentIds.delete(id);
    }
    const seen = stream.recentIds.get(msg.id);
    if (seen)
      return { id: msg.id, subject: msg.subject, stream: stream.spec.name, seq: seen.seq, duplicate: true };
    const seq = ++stream.lastSeq;
    const headers = { ...msg.headers, 'Nats-Msg-Id': msg.id };
    stream.messages.push({
      seq,
      subject: msg.subject,
      data: msg.data.slice(),
      headers,
      storedAt: new Date(now),
    });
    stream.applyLimits(now);
    if (stream.spec.duplicateWindowMs > 0) stream.recentIds.set(msg.id, { seq, at: now });
    for (const consumer of this.consumers.values()) if (consumer.stream === stream) consumer.pump();
    return { id: msg.id, subject: msg.subject, stream: stream.spec.name, seq, duplicate: false };
  }

  consumer(spec: ConsumeSpec): MemoryConsumer {
    const stream = this.streams.get(spec.stream);
    if (!stream) throw new TransportError('not-found', `stream ${spec.stream} not found`);
    if (spec.backoffMs.length > 0 && spec.maxDeliver <= spec.backoffMs.length)
      throw new RuntimeUsageError(
        `consumer ${spec.durable ?? '(ephemeral)'}: maxDeliver must be > backoff length`,
      );
    if (!spec.durable) {
      const name = `ephemeral-${++this.ephemeralCounter}`;
      const consumer = new MemoryConsumer(this, name, stream, spec, true);
      this.consumers.set(`${spec.stream}/${name}`, consumer);
      return consumer;
    }
    const key = `${spec.stream}/${spec.durable}`;
    const existing = this.consumers.get(key);
    if (existing) {
      existing.spec = spec; // like a consumer update: settings change, position stays
      return existing;
    }
    const consumer = new MemoryConsumer(this, spec.durable, stream, spec, false);
    this.consumers.set(key, consumer);
    return consumer;
  }

  removeConsumer(consumer: MemoryConsumer): void {
    consumer.dispose();
    this.consumers.delete(`${consumer.stream.spec.name}/${consumer.name}`);
  }

  /** Stop every timer (end of a test or demo). */
  shutdown(): void {
    this.closed = true;
    for (const consumer of this.consumers.values()) consumer.dispose();
  }
}

export const memoryFeatures: TransportFeatures = {
  persistent: false,
  delayedRedelivery: true,
  deduplication: true,
  competingConsumers: true,
  brokerRestart: false,
};

export function createMemoryBroker(): MemoryBroker {
  return new MemoryBroker();
}

/** A connection to an in-memory broker (a fresh private broker when none is given). */
export function memoryTransport(broker: MemoryBroker = createMemoryBroker()): Transport {
  const subscriptions = new Set<Subscription>();
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw new TransportError('closed', 'transport is closed');
  };
  return {
    kind: 'memory',
    features: memoryFeatures,
    async publish(msg) {
      ensureOpen();
      return broker.publish(msg);
    },
    async ensureStream(spec, options) {
      ensureOpen();
      broker.ensureStream(spec, options?.update !== false);
    },
    async consume(spec, listener) {
      ensureOpen();
      const consumer = broker.consumer(spec);
      const subscriber: MemorySubscriber = { listener, active: true };
      consumer.subscribers.push(subscriber);
      const subscription: Subscription = {
        consumer: consumer.name,
        async stop() {
          if (!subscriber.active) return;
          subscriber.active = false;
          const index = consumer.subscribers.indexOf(subscriber);
          if (index >= 0) consumer.subscribers.splice(index, 1);
          subscriptions.delete(subscription);
          if (consumer.ephemeral) broker.removeConsumer(consumer);
        },
      };
      subscriptions.add(subscription);
      consumer.pump();
      return subscription;
    },
    async serve(subject, queue, listener) {
      ensureOpen();
      const groups =
        broker.responders.get(subject) ?? new Map<string, { members: RequestListener[]; next: number }>();
      broker.responders.set(subject, groups);
      const group = groups.get(queue) ?? { members: [], next: 0 };
      groups.set(queue, group);
      group.members.push(listener);
      const subscription: Subscription = {
        consumer: `${subject}#${queue}`,
        async stop() {
          const i = group.members.indexOf(listener);
          if (i >= 0) group.members.splice(i, 1);
          subscriptions.delete(subscription);
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },
    async request(msg, options) {
      ensureOpen();
      return broker.request(msg, options.timeoutMs);
    },
    async consumerState(stream, name) {
      const consumer = broker.consumers.get(`${stream}/${name}`);
      if (!consumer) return undefined;
      // Like JetStream: messages waiting for redelivery still count as ack pending.
      return {
        name,
        stream,
        ackPending: consumer.pending.size + consumer.redeliveries.size,
        pending: consumer.numPending() - consumer.redeliveries.size,
      } satisfies ConsumerState;
    },
    async close() {
      if (closed) return;
      for (const s of [...subscriptions]) await s.stop();
      closed = true;
    },
  };
}
