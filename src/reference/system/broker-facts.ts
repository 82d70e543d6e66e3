// What JetStream itself says about a run: messages per stream, dead letters, and whether any subject
// holds the same event twice (a duplicate publish that slipped past de-duplication).
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { DEADLETTER_STREAM } from '../../runtime/index.ts';

export interface BrokerFacts {
  readonly messagesPerStream: Readonly<Record<string, number>>;
  readonly deadLetters: number;
  /** Subjects of order-keyed event streams holding more than one message (each event of an order is published once). */
  readonly repeatedSubjects: readonly string[];
  /** Where each stream lives on a cluster: its leader and the servers holding a replica (leader first). */
  readonly placement: Readonly<
    Record<string, { readonly leader: string; readonly servers: readonly string[] }>
  >;
}

/** Streams whose subjects name one event of one aggregate: each subject must hold exactly one message. */
const ONE_PER_SUBJECT = ['ORDERS', 'PAYMENTS', 'INVENTORY'];

export async function brokerFacts(nc: NatsConnection): Promise<BrokerFacts> {
  const jsm = await jetstreamManager(nc);
  const messagesPerStream: Record<string, number> = {};
  const repeatedSubjects: string[] = [];
  const placement: Record<string, { leader: string; servers: string[] }> = {};
  for await (const info of jsm.streams.list()) {
    messagesPerStream[info.config.name] = info.state.messages;
    const leader = info.cluster?.leader;
    if (leader)
      placement[info.config.name] = {
        leader,
        servers: [leader, ...(info.cluster?.replicas ?? []).map((r) => r.name)],
      };
    if (ONE_PER_SUBJECT.includes(info.config.name)) {
      const detailed = await jsm.streams.info(info.config.name, { subjects_filter: '>' });
      for (const [subject, count] of Object.entries(detailed.state.subjects ?? {}))
        if (count > 1) repeatedSubjects.push(`${subject} ×${count}`);
    }
  }
  return {
    messagesPerStream,
    deadLetters: messagesPerStream[DEADLETTER_STREAM] ?? 0,
    repeatedSubjects,
    placement,
  };
}

/** Waits until every listed durable has nothing pending or unacknowledged, `stableChecks` times in a row. */
export async function waitForConsumersIdle(
  nc: NatsConnection,
  durables: readonly { stream: string; durable: string }[],
  options: {
    timeoutMs: number;
    intervalMs?: number;
    stableChecks?: number;
    onWait?: (busy: string[]) => void;
    /** More that must be idle: e.g. outbox rows not yet published (a relay retrying through an election). */
    alsoBusy?: () => Promise<string[]>;
  },
): Promise<boolean> {
  // No account-info round trip: on a cluster that is electing, it fails with 503 although the loop below
  // would simply wait.
  const jsm = await jetstreamManager(nc, { checkAPI: false });
  const deadline = Date.now() + options.timeoutMs;
  let stable = 0;
  while (Date.now() < deadline) {
    const busy: string[] = [];
    for (const { stream, durable } of durables) {
      try {
        const info = await jsm.consumers.info(stream, durable);
        if (info.num_pending > 0 || info.num_ack_pending > 0)
          busy.push(`${durable} (${info.num_pending} pending, ${info.num_ack_pending} unacked)`);
      } catch {
        busy.push(`${durable} (missing)`);
      }
    }
    if (busy.length === 0 && options.alsoBusy) busy.push(...(await options.alsoBusy()));
    if (busy.length === 0) {
      if (++stable >= (options.stableChecks ?? 2)) return true;
    } else {
      stable = 0;
      options.onWait?.(busy);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 300));
  }
  return false;
}
