// Streams and durable consumers from the registry: plan (diff live JetStream config against the spec),
// then apply the creates and updates, idempotently. Changes JetStream cannot make in place (retention,
// storage, deliver policy) are reported as conflicts and never applied: durable names and their
// positions are part of the contract, so deleting and recreating is a human decision. The one deletion
// it makes, and only when asked (`prune`), is of durables it named for a receive operation that is gone
// (a service moved to v2 of an event): nothing else on the server is ever deleted.
import type { JetStreamManager } from '@nats-io/jetstream';
import { defaultStreamSettings } from '../model/build/settings.ts';
import { durableName, subjectFilter } from '../model/names.ts';
import type { Registry } from '../model/types.ts';
import { deadLetterStreamSpec } from './dead-letter.ts';
import type { ConsumeSpec, StreamSpec } from './transport.ts';
import { toTransportError } from './transports/jetstream.ts';
import {
  desiredConsumerView,
  diffFields,
  type FieldDrift,
  fromStreamConfig,
  immutableConsumerFields,
  immutableStreamFields,
  liveConsumerView,
  toConsumerConfig,
  toStreamConfig,
} from './transports/jetstream-config.ts';

export interface ConsumerProvision {
  readonly spec: ConsumeSpec & { readonly durable: string };
  readonly service: string;
  /** `<service>.<operationId>` of the receive operation. */
  readonly operation: string;
  readonly eventType: string;
}

export interface ProvisioningSpec {
  readonly streams: readonly StreamSpec[];
  readonly consumers: readonly ConsumerProvision[];
  /** Every service of the registry: a live durable named `<service>--…` that no operation declares is retired. */
  readonly services: readonly string[];
}

/** What the registry asks for: every stream (plus DEADLETTER) and one durable per received event. */
export function provisioningSpec(
  registry: Pick<Registry, 'streams' | 'events' | 'operations'> & Partial<Pick<Registry, 'services'>>,
  options: {
    readonly deadLetter?: boolean;
    /**
     * Replicas of every stream instead of what the documents say: a deployment's choice (the demo on a
     * 3-node cluster runs R3 from documents written for one server). Consumers follow their stream.
     */
    readonly replicas?: number;
  } = {},
): ProvisioningSpec {
  const unlimited = (n: number) => (n > 0 ? n : -1);
  const streams: StreamSpec[] = registry.streams.map((s) => ({
    name: s.name,
    subjects: [...s.subjects].sort(),
    retention: s.settings.retention,
    storage: s.settings.storage,
    maxAgeMs: s.settings.maxAgeMs,
    maxBytes: unlimited(s.settings.maxBytes),
    maxMsgs: unlimited(s.settings.maxMsgs),
    duplicateWindowMs: s.settings.duplicateWindowMs,
    replicas: options.replicas ?? s.settings.replicas,
    ...(s.description ? { description: s.description } : {}),
    denyDelete: s.settings.denyDelete ?? defaultStreamSettings.denyDelete,
    denyPurge: s.settings.denyPurge ?? defaultStreamSettings.denyPurge,
  }));
  if (options.deadLetter !== false && !streams.some((s) => s.name === deadLetterStreamSpec().name))
    streams.push(deadLetterStreamSpec(options.replicas !== undefined ? { replicas: options.replicas } : {}));
  const events = new Map(registry.events.map((e) => [e.type, e]));
  const consumers: ConsumerProvision[] = [];
  for (const op of registry.operations) {
    if (op.action !== 'receive' || op.requestReply || !op.consumer) continue;
    op.eventTypes.forEach((type, index) => {
      const event = events.get(type);
      if (event?.kind !== 'event' || !event.stream) return;
      // One filter subject per consumer (nats-server 2.9): each (operation, event type) has its own
      // durable, named by the registry; the filter is the operation's own channel.
      const durable =
        op.durables?.[type] ??
        (index === 0 && op.durable
          ? op.durable
          : durableName(op.service, { name: event.name, major: event.major }));
      const filterSubject = subjectFilter(op.channelAddress) || event.subjectFilter;
      const settings = op.consumer;
      if (!settings) return;
      consumers.push({
        service: op.service,
        operation: op.id,
        eventType: type,
        spec: {
          stream: event.stream,
          durable,
          filterSubject,
          ackWaitMs: settings.ackWaitMs,
          maxDeliver: settings.maxDeliver,
          backoffMs: settings.backoffMs,
          maxAckPending: settings.maxAckPending,
          deliverPolicy: settings.deliverPolicy,
        },
      });
    });
  }
  consumers.sort((a, b) =>
    `${a.spec.stream}/${a.spec.durable}`.localeCompare(`${b.spec.stream}/${b.spec.durable}`),
  );
  const services = new Set([
    ...(registry.services ?? []).map((s) => s.id),
    ...registry.operations.map((op) => op.service),
  ]);
  return {
    streams: streams.sort((a, b) => a.name.localeCompare(b.name)),
    consumers,
    services: [...services].sort(),
  };
}

export type ChangeKind = 'create' | 'update' | 'unchanged' | 'conflict' | 'delete';

export interface PlannedChange {
  readonly resource: 'stream' | 'consumer';
  /** Stream name, or `<stream>/<durable>`. */
  readonly name: string;
  readonly kind: ChangeKind;
  /** Live vs desired, field by field (empty for create/unchanged). */
  readonly drift: readonly FieldDrift[];
  readonly stream?: StreamSpec;
  readonly consumer?: ConsumerProvision;
  /** A retired durable to delete (`delete`), or why it cannot be deleted yet (`conflict`). */
  readonly retired?: { readonly stream: string; readonly durable: string };
  /** Why, in words, when the drift does not say it. */
  readonly note?: string;
}

export interface ProvisioningPlan {
  readonly changes: readonly PlannedChange[];
  /** Live durables on the planned streams that no receive operation declares and eventkit did not name. */
  readonly unknownConsumers: readonly string[];
  /**
   * Live durables named `<service>--…` for a registry service that no receive operation declares any more:
   * left over from an operation that is gone. Deleted only by a plan made with `prune` (then also in `changes`).
   */
  readonly retiredConsumers: readonly string[];
}

function streamView(spec: StreamSpec): StreamSpec {
  return { ...spec, subjects: [...spec.subjects].sort(), description: spec.description ?? '' };
}

function changeKind(drift: readonly FieldDrift[]): ChangeKind {
  if (drift.length === 0) return 'unchanged';
  return drift.some((d) => d.immutable) ? 'conflict' : 'update';
}

/**
 * Compare the live server with the spec. Reads only. With `prune`, retired durables become `delete` changes
 * (or `conflict` while a client is still pulling from one: an old instance is running).
 */
export async function planProvisioning(
  jsm: JetStreamManager,
  spec: ProvisioningSpec,
  options: { readonly prune?: boolean } = {},
): Promise<ProvisioningPlan> {
  const changes: PlannedChange[] = [];
  const liveStreams = new Set<string>();
  for (const stream of spec.streams) {
    try {
      const info = await jsm.streams.info(stream.name);
      liveStreams.add(stream.name);
      const live = fromStreamConfig(info.config);
      const desired = streamView(stream);
      const liveView = streamView({
        ...live,
        description: stream.description === undefined ? undefined : live.description,
      });
      const drift = diffFields(liveView, desired, immutableStreamFields);
      changes.push({ resource: 'stream', name: stream.name, kind: changeKind(drift), drift, stream });
    } catch (error) {
      if ((error as Error).name !== 'StreamNotFoundError')
        throw toTransportError(error, `stream ${stream.name}`);
      changes.push({ resource: 'stream', name: stream.name, kind: 'create', drift: [], stream });
    }
  }
  const declared = new Set(spec.consumers.map((c) => `${c.spec.stream}/${c.spec.durable}`));
  for (const consumer of spec.consumers) {
    const name = `${consumer.spec.stream}/${consumer.spec.durable}`;
    if (!liveStreams.has(consumer.spec.stream)) {
      changes.push({ resource: 'consumer', name, kind: 'create', drift: [], consumer });
      continue;
    }
    try {
      const info = await jsm.consumers.info(consumer.spec.stream, consumer.spec.durable);
      const drift = diffFields(
        liveConsumerView(info.config),
        desiredConsumerView(consumer.spec),
        immutableConsumerFields,
      );
      changes.push({ resource: 'consumer', name, kind: changeKind(drift), drift, consumer });
    } catch (error) {
      if ((error as Error).name !== 'ConsumerNotFoundError')
        throw toTransportError(error, `consumer ${name}`);
      changes.push({ resource: 'consumer', name, kind: 'create', drift: [], consumer });
    }
  }
  const unknownConsumers: string[] = [];
  const retired: PlannedChange[] = [];
  const services = new Set(spec.services);
  for (const stream of [...liveStreams].sort()) {
    for await (const info of jsm.consumers.list(stream)) {
      const name = `${stream}/${info.name}`;
      if (!info.config.durable_name || declared.has(name)) continue;
      const owner = info.name.split('--')[0] as string;
      if (!info.name.includes('--') || !services.has(owner)) {
        unknownConsumers.push(name);
        continue;
      }
      // Messages out and not yet acked, or pull requests waiting: an old instance still consumes from it.
      // (nats-server 2.9 reports no waiting pull requests, so an idle old instance goes unseen there.)
      const inUse = [
        info.num_ack_pending > 0 ? `${info.num_ack_pending} message(s) being handled` : '',
        (info.num_waiting ?? 0) > 0 ? `${info.num_waiting} pull request(s) waiting` : '',
      ].filter(Boolean);
      retired.push({
        resource: 'consumer',
        name,
        kind: inUse.length > 0 ? 'conflict' : 'delete',
        drift: [],
        retired: { stream, durable: info.name },
        note:
          inUse.length > 0
            ? `retired, but still in use (${inUse.join(', ')}): stop the old ${owner} instances first`
            : `retired: no receive operation of ${owner} declares it (${info.num_pending} message(s) it never read)`,
      });
    }
  }
  retired.sort((a, b) => a.name.localeCompare(b.name));
  return {
    changes: options.prune ? [...changes, ...retired] : changes,
    unknownConsumers: unknownConsumers.sort(),
    retiredConsumers: retired.map((r) => r.name),
  };
}

export interface AppliedChange extends PlannedChange {
  /** `conflict` and `unchanged` are never applied; `failed` carries the server's error. */
  readonly outcome: 'created' | 'updated' | 'deleted' | 'unchanged' | 'conflict' | 'failed';
  readonly error?: string;
}

/** Apply the plan's creates and updates (streams first), then its deletes (only a `prune` plan has any). */
export async function applyProvisioning(
  jsm: JetStreamManager,
  plan: ProvisioningPlan,
  options: { readonly onProgress?: (message: string) => void } = {},
): Promise<AppliedChange[]> {
  const applied: AppliedChange[] = [];
  const failedStreams = new Set<string>();
  const ordered = [
    ...plan.changes.filter((c) => c.resource === 'stream'),
    ...plan.changes.filter((c) => c.resource === 'consumer' && !c.retired),
    ...plan.changes.filter((c) => c.retired),
  ];
  for (const change of ordered) {
    if (change.kind === 'unchanged' || change.kind === 'conflict') {
      applied.push({ ...change, outcome: change.kind });
      continue;
    }
    options.onProgress?.(`${change.kind} ${change.resource} ${change.name}`);
    try {
      if (change.kind === 'delete' && change.retired) {
        await jsm.consumers.delete(change.retired.stream, change.retired.durable);
        applied.push({ ...change, outcome: 'deleted' });
        continue;
      }
      if (change.stream) {
        const config = { ...toStreamConfig(change.stream), name: change.stream.name };
        if (change.kind === 'create') await jsm.streams.add(config);
        else {
          const { retention: _r, storage: _s, ...update } = config;
          await jsm.streams.update(change.stream.name, update);
        }
      } else if (change.consumer) {
        const { spec } = change.consumer;
        if (failedStreams.has(spec.stream)) throw new Error(`stream ${spec.stream} could not be provisioned`);
        const config = toConsumerConfig(spec);
        if (change.kind === 'create') await jsm.consumers.add(spec.stream, config);
        else {
          const {
            durable_name: _d,
            deliver_policy: _p,
            opt_start_seq: _s,
            opt_start_time: _t,
            ...update
          } = config;
          await jsm.consumers.update(spec.stream, spec.durable, update);
        }
      }
      applied.push({ ...change, outcome: change.kind === 'create' ? 'created' : 'updated' });
    } catch (error) {
      if (change.stream) failedStreams.add(change.stream.name);
      applied.push({ ...change, outcome: 'failed', error: (error as Error).message });
    }
  }
  return applied;
}

/** Where the spec's streams live on a JetStream cluster (what `eventkit provision` reports). */
export interface ClusterReport {
  /** Cluster name; undefined on a standalone server. */
  readonly name: string | undefined;
  /** Server names seen holding a stream, sorted. */
  readonly servers: readonly string[];
  readonly streams: readonly {
    readonly name: string;
    readonly replicas: number;
    readonly leader: string | undefined;
    /** Followers, with whether each is caught up with the leader. */
    readonly followers: readonly { readonly name: string; readonly current: boolean }[];
  }[];
}

/** Reads each existing stream's leader and followers; streams not on the server are left out. */
export async function clusterReport(
  jsm: JetStreamManager,
  streams: readonly string[],
  clusterName: string | undefined,
): Promise<ClusterReport> {
  const rows: ClusterReport['streams'][number][] = [];
  const servers = new Set<string>();
  for (const name of streams) {
    let info: Awaited<ReturnType<JetStreamManager['streams']['info']>>;
    try {
      info = await jsm.streams.info(name);
    } catch (error) {
      if ((error as Error).name === 'StreamNotFoundError') continue;
      throw toTransportError(error, `stream ${name}`);
    }
    const followers = (info.cluster?.replicas ?? []).map((r) => ({ name: r.name, current: r.current }));
    const leader = info.cluster?.leader || undefined;
    if (leader) servers.add(leader);
    for (const f of followers) servers.add(f.name);
    rows.push({ name, replicas: info.config.num_replicas, leader, followers });
  }
  return { name: clusterName, servers: [...servers].sort(), streams: rows };
}
