// One mapping between eventkit's stream/consumer specs and JetStream API configs, used by the
// JetStream transport (create on consume) and by provisioning (plan, apply, drift report).
import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  DiscardPolicy,
  ReplayPolicy,
  type RetentionPolicy,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream';
import type { ConsumeSpec, StreamSpec } from '../transport.ts';

const NS_PER_MS = 1_000_000;
export const msToNanos = (ms: number): number => Math.round(ms * NS_PER_MS);
export const nanosToMs = (ns: number | undefined): number => Math.round((ns ?? 0) / NS_PER_MS);

export function toStreamConfig(spec: StreamSpec): Partial<StreamConfig> {
  return {
    name: spec.name,
    subjects: [...spec.subjects],
    retention: spec.retention as RetentionPolicy,
    storage: spec.storage === 'memory' ? StorageType.Memory : StorageType.File,
    max_age: msToNanos(spec.maxAgeMs),
    max_bytes: spec.maxBytes,
    max_msgs: spec.maxMsgs,
    duplicate_window: msToNanos(spec.duplicateWindowMs),
    num_replicas: spec.replicas,
    discard: DiscardPolicy.Old,
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.denyDelete !== undefined ? { deny_delete: spec.denyDelete } : {}),
    ...(spec.denyPurge !== undefined ? { deny_purge: spec.denyPurge } : {}),
  };
}

export function fromStreamConfig(config: StreamConfig): StreamSpec {
  return {
    name: config.name,
    subjects: [...(config.subjects ?? [])],
    retention: config.retention as StreamSpec['retention'],
    storage: config.storage === StorageType.Memory ? 'memory' : 'file',
    maxAgeMs: nanosToMs(config.max_age),
    maxBytes: config.max_bytes,
    maxMsgs: config.max_msgs,
    duplicateWindowMs: nanosToMs(config.duplicate_window),
    replicas: config.num_replicas,
    ...(config.description ? { description: config.description } : {}),
    denyDelete: config.deny_delete === true,
    denyPurge: config.deny_purge === true,
  };
}

/** Stream fields JetStream cannot change on an existing stream. */
export const immutableStreamFields: ReadonlySet<keyof StreamSpec> = new Set(['retention', 'storage']);

export function toConsumerConfig(spec: ConsumeSpec): Partial<ConsumerConfig> {
  const config: Partial<ConsumerConfig> = {
    ack_policy: AckPolicy.Explicit,
    replay_policy: ReplayPolicy.Instant,
    filter_subject: spec.filterSubject,
    ack_wait: msToNanos(spec.ackWaitMs),
    max_deliver: spec.maxDeliver,
    max_ack_pending: spec.maxAckPending,
    ...(spec.backoffMs.length > 0 ? { backoff: spec.backoffMs.map(msToNanos) } : {}),
    ...(spec.durable ? { durable_name: spec.durable } : { inactive_threshold: msToNanos(30_000) }),
  };
  const policy = spec.deliverPolicy;
  if (policy === 'all') config.deliver_policy = DeliverPolicy.All;
  else if (policy === 'new') config.deliver_policy = DeliverPolicy.New;
  else if ('startSequence' in policy) {
    config.deliver_policy = DeliverPolicy.StartSequence;
    config.opt_start_seq = policy.startSequence;
  } else {
    config.deliver_policy = DeliverPolicy.StartTime;
    config.opt_start_time = new Date(policy.startTime).toISOString();
  }
  return config;
}

/** The comparable view of a consumer config (what provisioning diffs). */
export interface ConsumerView {
  readonly filterSubject: string;
  readonly ackWaitMs: number;
  readonly maxDeliver: number;
  readonly backoffMs: readonly number[];
  readonly maxAckPending: number;
  readonly deliverPolicy: string;
  readonly ackPolicy: string;
}

function deliverPolicyText(policy: ConsumeSpec['deliverPolicy']): string {
  if (typeof policy === 'string') return policy;
  if ('startSequence' in policy) return `by_start_sequence:${policy.startSequence}`;
  return `by_start_time:${new Date(policy.startTime).toISOString()}`;
}

/** What the server will store for this spec (it replaces ack_wait by backoff[0] when backoff is set). */
export function desiredConsumerView(spec: ConsumeSpec): ConsumerView {
  return {
    filterSubject: spec.filterSubject,
    ackWaitMs: spec.backoffMs.length > 0 ? (spec.backoffMs[0] ?? spec.ackWaitMs) : spec.ackWaitMs,
    maxDeliver: spec.maxDeliver,
    backoffMs: [...spec.backoffMs],
    maxAckPending: spec.maxAckPending,
    deliverPolicy: deliverPolicyText(spec.deliverPolicy),
    ackPolicy: 'explicit',
  };
}

export function liveConsumerView(config: ConsumerConfig): ConsumerView {
  let deliverPolicy: string = config.deliver_policy;
  if (config.deliver_policy === DeliverPolicy.StartSequence)
    deliverPolicy = `by_start_sequence:${config.opt_start_seq}`;
  if (config.deliver_policy === DeliverPolicy.StartTime)
    deliverPolicy = `by_start_time:${new Date(config.opt_start_time ?? 0).toISOString()}`;
  return {
    filterSubject: config.filter_subject ?? '',
    ackWaitMs: nanosToMs(config.ack_wait),
    maxDeliver: config.max_deliver ?? -1,
    backoffMs: (config.backoff ?? []).map(nanosToMs),
    maxAckPending: config.max_ack_pending ?? -1,
    deliverPolicy,
    ackPolicy: config.ack_policy,
  };
}

/** Consumer fields JetStream cannot change on an existing durable. */
export const immutableConsumerFields: ReadonlySet<keyof ConsumerView> = new Set([
  'deliverPolicy',
  'ackPolicy',
]);

export interface FieldDrift {
  readonly field: string;
  readonly live: unknown;
  readonly desired: unknown;
  /** The server refuses to change it in place. */
  readonly immutable: boolean;
}

export function diffFields<T extends object>(
  live: T,
  desired: T,
  immutable: ReadonlySet<keyof T>,
): FieldDrift[] {
  const drift: FieldDrift[] = [];
  for (const key of Object.keys(desired) as (keyof T)[]) {
    const a = live[key];
    const b = desired[key];
    if (JSON.stringify(a) !== JSON.stringify(b))
      drift.push({ field: String(key), live: a, desired: b, immutable: immutable.has(key) });
  }
  return drift;
}
