// The event store on JetStream: a stream per aggregate type, a subject per aggregate, one message per commit.
// Optimistic concurrency is the server's: every append carries `Nats-Expected-Last-Subject-Sequence`, so of
// two appends at the same version exactly one is stored. `Nats-Msg-Id` makes a retried append land once.
// Snapshots live in a second stream that keeps the last message per subject.
import {
  DeliverPolicy,
  DiscardPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type StoredMsg,
} from '@nats-io/jetstream';
import { type NatsConnection, headers as natsHeaders } from '@nats-io/nats-core';
import { randomHex } from '../runtime/ids.ts';
import { decodeCommit, encodeCommit } from './commit-codec.ts';
import { ConcurrencyError, EventStoreError } from './errors.ts';
import {
  checkAggregateId,
  checkAggregateType,
  eventStreamName,
  eventSubject,
  eventSubjects,
  snapshotStreamName,
  snapshotSubject,
  snapshotSubjects,
} from './names.ts';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  LoadOptions,
  LoadResult,
  NewEvent,
  ReadOptions,
  RecordedEvent,
  Snapshot,
} from './types.ts';

export interface JetStreamEventStoreOptions {
  readonly connection: NatsConnection;
  /** Replicas of the event and snapshot streams (3 on a cluster). Default 1. */
  readonly replicas?: number;
  /** Default `file`; `memory` for throwaway tests. */
  readonly storage?: 'file' | 'memory';
  /** PubAck timeout of one append attempt. Default 5 s. */
  readonly timeoutMs?: number;
  /** Attempts of an append that timed out (same message id, so it is stored once). Default 4. */
  readonly attempts?: number;
}

const H_VERSION = 'Eventkit-Es-Version';
const H_COUNT = 'Eventkit-Es-Count';
const H_TIME = 'Eventkit-Es-Time';
const H_SEQ = 'Eventkit-Es-Seq';
/** nats-server's error code for a failed `Nats-Expected-Last-Subject-Sequence`. */
const WRONG_LAST_SEQUENCE = 10071;
/** Below this many commits an aggregate is read by direct gets; above, one ordered consumer. */
const DIRECT_READS = 8;

interface Head {
  readonly seq: number;
  readonly version: number;
}

function headerNumber(msg: StoredMsg, name: string, where: string): number {
  const value = Number(msg.header.get(name));
  if (!Number.isInteger(value) || value < 0)
    throw new EventStoreError(
      `${where} (sequence ${msg.seq}) has no valid ${name} header: not an eventkit commit`,
    );
  return value;
}

function apiErrorCode(error: unknown): number | undefined {
  const e = error as { code?: unknown; api_error?: { err_code?: unknown } };
  if (typeof e?.api_error?.err_code === 'number') return e.api_error.err_code;
  return typeof e?.code === 'number' ? e.code : undefined;
}

function isRetryable(error: unknown): boolean {
  const name = (error as Error)?.name;
  return (
    name === 'TimeoutError' ||
    name === 'NoRespondersError' ||
    /timeout|no responders|503/i.test(String(error))
  );
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class JetStreamEventStore implements EventStore {
  readonly kind = 'jetstream';
  private readonly js: JetStreamClient;
  private readonly ready = new Map<string, Promise<void>>();
  /** Last known head per aggregate subject: saves a read before an append at the version just loaded. */
  private readonly heads = new Map<string, Head>();

  constructor(
    private readonly jsm: JetStreamManager,
    private readonly options: JetStreamEventStoreOptions,
  ) {
    this.js = jetstream(options.connection);
  }

  private ensureStreams(aggregateType: string): Promise<void> {
    checkAggregateType(aggregateType);
    let ready = this.ready.get(aggregateType);
    if (!ready) {
      ready = this.createStreams(aggregateType);
      ready.catch(() => this.ready.delete(aggregateType));
      this.ready.set(aggregateType, ready);
    }
    return ready;
  }

  private async createStreams(aggregateType: string): Promise<void> {
    const common = {
      retention: RetentionPolicy.Limits,
      storage: this.options.storage === 'memory' ? StorageType.Memory : StorageType.File,
      num_replicas: this.options.replicas ?? 1,
      discard: DiscardPolicy.Old,
      allow_direct: true,
    };
    await this.addOrKeep({
      ...common,
      name: eventStreamName(aggregateType),
      subjects: [eventSubjects(aggregateType)],
      description: `eventkit event store: ${aggregateType} events, one message per commit`,
      // An event log is never trimmed, purged or deleted by accident.
      deny_delete: true,
      deny_purge: true,
    });
    await this.addOrKeep({
      ...common,
      name: snapshotStreamName(aggregateType),
      subjects: [snapshotSubjects(aggregateType)],
      description: `eventkit event store: latest ${aggregateType} snapshot per aggregate`,
      max_msgs_per_subject: 1,
    });
  }

  private async addOrKeep(config: Parameters<JetStreamManager['streams']['add']>[0]): Promise<void> {
    try {
      await this.jsm.streams.info(config.name as string);
    } catch {
      await this.jsm.streams.add(config);
    }
  }

  private async last(stream: string, subject: string): Promise<StoredMsg | null> {
    try {
      return await this.jsm.direct.getMessage(stream, { last_by_subj: subject });
    } catch (error) {
      if (/no message found|not found/i.test(String(error))) return null;
      throw error;
    }
  }

  private async head(aggregateType: string, subject: string): Promise<Head> {
    const msg = await this.last(eventStreamName(aggregateType), subject);
    const head = msg
      ? { seq: msg.seq, version: headerNumber(msg, H_VERSION, subject) }
      : { seq: 0, version: 0 };
    this.heads.set(subject, head);
    return head;
  }

  async append(
    aggregateType: string,
    aggregateId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    await this.ensureStreams(aggregateType);
    checkAggregateId(aggregateType, aggregateId);
    if (events.length === 0) throw new EventStoreError(`${aggregateType} ${aggregateId}: nothing to append`);
    const subject = eventSubject(aggregateType, aggregateId);
    for (let attempt = 0; ; attempt++) {
      const expected = options.expectedVersion;
      let head = this.heads.get(subject);
      if (!head || (expected !== 'any' && head.version !== expected))
        head = await this.head(aggregateType, subject);
      if (expected !== 'any' && head.version !== expected)
        throw new ConcurrencyError(aggregateType, aggregateId, expected, head.version);
      try {
        return await this.publishCommit(subject, head, events);
      } catch (error) {
        this.heads.delete(subject);
        if (apiErrorCode(error) !== WRONG_LAST_SEQUENCE) throw error;
        // 'any' appends after whatever is there: read the new head and try again.
        if (expected === 'any' && attempt < 20) continue;
        throw new ConcurrencyError(
          aggregateType,
          aggregateId,
          expected === 'any' ? head.version : expected,
          undefined,
          {
            cause: error,
          },
        );
      }
    }
  }

  private async publishCommit(
    subject: string,
    head: Head,
    events: readonly NewEvent[],
  ): Promise<AppendResult> {
    const version = head.version + events.length;
    const h = natsHeaders();
    h.set(H_VERSION, String(version));
    h.set(H_COUNT, String(events.length));
    h.set(H_TIME, new Date().toISOString());
    const body = encodeCommit(events);
    const msgID = `es-${randomHex(12)}`;
    const attempts = this.options.attempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      try {
        const ack = await this.js.publish(subject, body, {
          msgID,
          headers: h,
          expect: { lastSubjectSequence: head.seq },
          timeout: this.options.timeoutMs ?? 5_000,
        });
        // A duplicate ack means an earlier attempt of this very commit was stored.
        this.heads.set(subject, { seq: ack.seq, version });
        return { version, position: ack.seq };
      } catch (error) {
        if (attempt >= attempts || !isRetryable(error)) throw error;
        await sleep(100 * 2 ** (attempt - 1));
      }
    }
  }

  async load(aggregateType: string, aggregateId: string, options: LoadOptions = {}): Promise<LoadResult> {
    await this.ensureStreams(aggregateType);
    checkAggregateId(aggregateType, aggregateId);
    const subject = eventSubject(aggregateType, aggregateId);
    const [snapMsg, head] = await Promise.all([
      options.useSnapshot === false
        ? Promise.resolve(null)
        : this.last(snapshotStreamName(aggregateType), snapshotSubject(aggregateType, aggregateId)),
      this.head(aggregateType, subject),
    ]);
    let snapshot: Snapshot | undefined;
    let fromSeq = 1;
    if (snapMsg) {
      const version = headerNumber(snapMsg, H_VERSION, 'snapshot');
      if (version <= head.version) {
        snapshot = { version, state: snapMsg.data };
        fromSeq = headerNumber(snapMsg, H_SEQ, 'snapshot') + 1;
      }
    }
    const events =
      head.seq >= fromSeq
        ? await this.readSubject(aggregateType, aggregateId, subject, fromSeq, head.seq)
        : [];
    return { version: head.version, events, ...(snapshot ? { snapshot } : {}) };
  }

  private toEvents(aggregateType: string, aggregateId: string, msg: StoredMsgLike): RecordedEvent[] {
    const where = `${aggregateType} ${aggregateId}`;
    const version = Number(msg.header?.get(H_VERSION));
    const decoded = decodeCommit(msg.data, where);
    const recordedAt = new Date(msg.header?.get(H_TIME) || Date.now());
    const first = version - decoded.length + 1;
    return decoded.map((e, i) => ({
      aggregateType,
      aggregateId,
      type: e.type,
      data: e.data,
      metadata: e.metadata,
      version: first + i,
      position: msg.seq,
      recordedAt,
    }));
  }

  /** Commits of one aggregate between two stream sequences (inclusive), in order. */
  private async readSubject(
    aggregateType: string,
    aggregateId: string,
    subject: string,
    fromSeq: number,
    toSeq: number,
  ): Promise<RecordedEvent[]> {
    const stream = eventStreamName(aggregateType);
    const out: RecordedEvent[] = [];
    let seq = fromSeq;
    // Short histories: a few direct gets beat creating a consumer.
    for (let i = 0; i < DIRECT_READS && seq <= toSeq; i++) {
      const msg = await this.jsm.direct.getMessage(stream, { seq, next_by_subj: subject });
      if (!msg || msg.seq > toSeq) return out;
      out.push(...this.toEvents(aggregateType, aggregateId, msg));
      seq = msg.seq + 1;
    }
    if (seq > toSeq) return out;
    await this.consumeRange(stream, subject, seq, toSeq, (msg) => {
      out.push(...this.toEvents(aggregateType, aggregateId, msg));
      return true;
    });
    return out;
  }

  /** Runs an ordered consumer from `fromSeq` until `toSeq` (or until `take` returns false). */
  private async consumeRange(
    stream: string,
    subject: string,
    fromSeq: number,
    toSeq: number,
    take: (msg: StoredMsgLike) => boolean,
  ): Promise<void> {
    const consumer = await this.js.consumers.get(stream, {
      filter_subjects: subject,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: fromSeq,
    });
    const messages = await consumer.consume({ max_messages: 1024 });
    try {
      for await (const msg of messages) {
        const more = take({ seq: msg.seq, data: msg.data, header: msg.headers, subject: msg.subject });
        if (!more || msg.seq >= toSeq) break;
      }
    } finally {
      await messages.close();
    }
  }

  async saveSnapshot(aggregateType: string, aggregateId: string, snapshot: Snapshot): Promise<void> {
    await this.ensureStreams(aggregateType);
    checkAggregateId(aggregateType, aggregateId);
    const subject = eventSubject(aggregateType, aggregateId);
    const seq = await this.commitEndingAt(aggregateType, aggregateId, subject, snapshot.version);
    const h = natsHeaders();
    h.set(H_VERSION, String(snapshot.version));
    h.set(H_SEQ, String(seq));
    h.set(H_TIME, new Date().toISOString());
    await this.js.publish(snapshotSubject(aggregateType, aggregateId), snapshot.state, {
      headers: h,
      timeout: this.options.timeoutMs ?? 5_000,
    });
  }

  /** The stream sequence of the commit that brought the aggregate to `version` (binary search by direct gets). */
  private async commitEndingAt(
    aggregateType: string,
    aggregateId: string,
    subject: string,
    version: number,
  ): Promise<number> {
    const stream = eventStreamName(aggregateType);
    const head = this.heads.get(subject) ?? (await this.head(aggregateType, subject));
    const notBoundary = () =>
      new EventStoreError(
        `${aggregateType} ${aggregateId}: no commit ends at version ${version} (current version ${head.version}); snapshot the state of a loaded or appended version`,
      );
    if (version === head.version && head.seq > 0) return head.seq;
    if (version < 1 || version > head.version) throw notBoundary();
    let lo = 1;
    let hi = head.seq;
    while (lo <= hi) {
      const mid = Math.floor((lo + hi) / 2);
      const msg = await this.jsm.direct.getMessage(stream, { seq: mid, next_by_subj: subject });
      if (!msg || msg.seq > hi) {
        hi = mid - 1;
        continue;
      }
      const v = headerNumber(msg, H_VERSION, subject);
      if (v === version) return msg.seq;
      if (v < version) lo = msg.seq + 1;
      else hi = mid - 1;
    }
    throw notBoundary();
  }

  async read(aggregateType: string, options: ReadOptions): Promise<readonly RecordedEvent[]> {
    await this.ensureStreams(aggregateType);
    const limit = options.limit ?? 1_000;
    const head = await this.headPosition(aggregateType);
    if (head <= options.after) return [];
    const out: RecordedEvent[] = [];
    const prefix = eventSubjects(aggregateType).slice(0, -1);
    await this.consumeRange(
      eventStreamName(aggregateType),
      eventSubjects(aggregateType),
      options.after + 1,
      head,
      (msg) => {
        out.push(...this.toEvents(aggregateType, msg.subject.slice(prefix.length), msg));
        return out.length < limit;
      },
    );
    return out;
  }

  async headPosition(aggregateType: string): Promise<number> {
    await this.ensureStreams(aggregateType);
    const info = await this.jsm.streams.info(eventStreamName(aggregateType));
    return info.state.last_seq;
  }

  async close(): Promise<void> {
    this.heads.clear();
  }
}

interface StoredMsgLike {
  readonly seq: number;
  readonly data: Uint8Array;
  readonly subject: string;
  readonly header: { get(name: string): string } | undefined;
}

/** An event store on the JetStream server behind `connection` (streams are created on first use). */
export async function createJetStreamEventStore(options: JetStreamEventStoreOptions): Promise<EventStore> {
  return new JetStreamEventStore(await jetstreamManager(options.connection), options);
}
