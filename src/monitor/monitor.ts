// Live traffic against the spec. One ordered (ephemeral, never acking) consumer per declared stream sees
// everything the stream stores, whatever its subject; plain subscriptions see the commands and queries,
// which never reach a stream. Nothing here takes work from a service's durable.
import {
  DeliverPolicy,
  type JetStreamClient,
  type JsMsg,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
} from '@nats-io/jetstream';
import type { Msg, MsgHdrs, NatsConnection, Subscription } from '@nats-io/nats-core';
import type { Registry } from '../model/types.ts';
import { readHeaders } from '../runtime/transports/jetstream.ts';
import { createMessageChecker } from './check.ts';
import type { ObservedMessage, Violation, ViolationKind } from './violations.ts';

export interface MonitorOptions {
  readonly connection: NatsConnection;
  readonly registry: Registry;
  /** Check what the streams already hold (deliver policy `all`) instead of new messages only. */
  readonly fromStart?: boolean;
  /** Called for every violation as it is found. */
  readonly onViolation?: (violation: Violation) => void;
  /** How many recent violations the stats keep. Default 10. */
  readonly keepRecent?: number;
}

/** Where the monitor listens: a stream (ordered consumer) or a subject (plain subscription). */
export interface ListenSource {
  readonly kind: 'stream' | 'subject';
  readonly name: string;
  /** Why it could not listen there (e.g. the stream does not exist on the server). */
  readonly problem?: string;
}

export interface TypeTally {
  checked: number;
  violations: number;
}

export interface MonitorStats {
  readonly startedAt: number;
  readonly checked: number;
  /** Messages with at least one violation. */
  readonly badMessages: number;
  readonly violations: number;
  /** Per `ce-type` (the registry type, or the type as sent for unknown ones, `(none)` without one). */
  readonly perType: ReadonlyMap<string, Readonly<TypeTally>>;
  readonly perKind: ReadonlyMap<ViolationKind, number>;
  /** The most recent violations, oldest first. */
  readonly recent: readonly Violation[];
  readonly sources: readonly ListenSource[];
}

export interface Monitor {
  stats(): MonitorStats;
  /** Stop listening (the connection stays open: it is the caller's). */
  stop(): Promise<void>;
}

function coreHeaders(h: MsgHdrs | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  for (const key of h.keys()) out[key] = h.get(key);
  return out;
}

/** Start listening; resolves once every consumer and subscription is in place. */
export async function startMonitor(options: MonitorOptions): Promise<Monitor> {
  const { connection: nc, registry } = options;
  const checker = createMessageChecker(registry);
  const keep = options.keepRecent ?? 10;
  const perType = new Map<string, TypeTally>();
  const perKind = new Map<ViolationKind, number>();
  const recent: Violation[] = [];
  const sources: ListenSource[] = [];
  let checked = 0;
  let badMessages = 0;
  let violationCount = 0;
  const startedAt = Date.now();

  const observe = (msg: ObservedMessage) => {
    checked++;
    const result = checker.check(msg);
    const key = result.type ?? msg.headers['ce-type'] ?? '(none)';
    let tally = perType.get(key);
    if (!tally) {
      tally = { checked: 0, violations: 0 };
      perType.set(key, tally);
    }
    tally.checked++;
    if (result.violations.length === 0) return;
    badMessages++;
    tally.violations++;
    for (const v of result.violations) {
      violationCount++;
      perKind.set(v.kind, (perKind.get(v.kind) ?? 0) + 1);
      recent.push(v);
      if (recent.length > keep) recent.shift();
      options.onViolation?.(v);
    }
  };

  const js: JetStreamClient = jetstream(nc);
  const jsm = await jetstreamManager(nc, { timeout: 5_000 });
  const live = new Set<string>();
  for await (const name of jsm.streams.names()) live.add(name);
  const stoppers: (() => Promise<void> | void)[] = [];

  const subscribe = (subject: string, stream?: string) => {
    const sub: Subscription = nc.subscribe(subject, {
      callback: (error: Error | null, m: Msg) => {
        if (error) return;
        observe({
          subject: m.subject,
          headers: coreHeaders(m.headers),
          data: m.data,
          ...(stream ? { stream } : {}),
        });
      },
    });
    stoppers.push(() => sub.unsubscribe());
  };

  for (const stream of registry.streams) {
    if (!live.has(stream.name)) {
      sources.push({
        kind: 'stream',
        name: stream.name,
        problem: 'not on the server (run `eventkit provision`)',
      });
      continue;
    }
    const info = await jsm.streams.info(stream.name);
    if (info.config.retention === RetentionPolicy.Workqueue) {
      // A work queue gives each message to one consumer only: any consumer of ours would take work from
      // the service. Read what it holds by sequence (a read, not a delivery) and watch new publishes.
      for (const subject of info.config.subjects ?? []) subscribe(subject, stream.name);
      if (options.fromStart) {
        for (let seq = info.state.first_seq; seq > 0 && seq <= info.state.last_seq; seq++) {
          const stored = await jsm.streams.getMessage(stream.name, { seq }).catch(() => null);
          if (stored)
            observe({
              subject: stored.subject,
              headers: coreHeaders(stored.header),
              data: stored.data,
              stream: stream.name,
              streamSequence: stored.seq,
            });
        }
      }
      sources.push({
        kind: 'subject',
        name: `${stream.name} (work queue): ${(info.config.subjects ?? []).join(', ')}`,
      });
      continue;
    }
    // An ordered push consumer: ack policy none, flow control, recreated on gaps. (nats-server 2.9 refuses
    // pull consumers without acks, so the ordered pull consumer of nats.js is not an option there.)
    const consumer = await js.consumers.getPushConsumer(stream.name, {
      deliver_policy: options.fromStart ? DeliverPolicy.All : DeliverPolicy.New,
    });
    const messages = await consumer.consume({
      callback: (m: JsMsg) => {
        observe({
          subject: m.subject,
          headers: readHeaders(m),
          data: m.data,
          stream: stream.name,
          streamSequence: m.seq,
        });
      },
    });
    sources.push({ kind: 'stream', name: stream.name });
    stoppers.push(() => messages.close().then(() => undefined));
  }

  // Commands and queries travel over core NATS only.
  const requestFilters = [
    ...new Set(registry.events.filter((e) => !e.stream && e.subjectFilter).map((e) => e.subjectFilter)),
  ].sort();
  for (const filter of requestFilters) {
    subscribe(filter);
    sources.push({ kind: 'subject', name: filter });
  }
  await nc.flush();

  return {
    stats: () => ({
      startedAt,
      checked,
      badMessages,
      violations: violationCount,
      perType: new Map([...perType].map(([k, v]) => [k, { ...v }])),
      perKind: new Map(perKind),
      recent: [...recent],
      sources: [...sources],
    }),
    async stop() {
      await Promise.all(stoppers.map((stop) => stop()));
    },
  };
}
