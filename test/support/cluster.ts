// Helpers for tests on a local JetStream cluster: who leads a stream or a consumer, and waiting for a new
// leader after one was killed (the election time is what the fault tests record).
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Placement {
  readonly leader: string | undefined;
  /** Every server holding the stream or consumer, the leader first. */
  readonly servers: readonly string[];
  /** Followers that are caught up with the leader. */
  readonly current: readonly string[];
}

function placementOf(
  cluster:
    | {
        leader?: string;
        replicas?: { name: string; current: boolean }[];
      }
    | undefined,
): Placement {
  const replicas = cluster?.replicas ?? [];
  return {
    leader: cluster?.leader || undefined,
    servers: [...(cluster?.leader ? [cluster.leader] : []), ...replicas.map((r) => r.name)],
    current: replicas.filter((r) => r.current).map((r) => r.name),
  };
}

export async function streamPlacement(jsm: JetStreamManager, stream: string): Promise<Placement> {
  return placementOf((await jsm.streams.info(stream)).cluster);
}

export async function consumerPlacement(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
): Promise<Placement> {
  return placementOf((await jsm.consumers.info(stream, durable)).cluster);
}

/**
 * Polls until `read` names a leader other than `not` (the server just killed); returns it and how long it
 * took. Requests fail while there is no leader: those count as "not yet".
 */
export async function waitForLeader(
  read: () => Promise<Placement>,
  options: { readonly not?: string; readonly timeoutMs?: number } = {},
): Promise<{ leader: string; ms: number }> {
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 60_000);
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const placement = await read();
      if (placement.leader && placement.leader !== options.not)
        return { leader: placement.leader, ms: Date.now() - started };
      last = placement.leader ? `still ${placement.leader}` : 'no leader';
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`no new leader within ${options.timeoutMs ?? 60_000} ms (last: ${last})`);
}

/** Polls until every follower is current (a restarted or resumed server caught up). */
export async function waitForAllCurrent(
  read: () => Promise<Placement>,
  size: number,
  timeoutMs = 60_000,
): Promise<Placement> {
  const deadline = Date.now() + timeoutMs;
  let last: Placement | undefined;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (last.leader && last.current.length === size - 1) return last;
    } catch {
      // no leader for a moment
    }
    await sleep(200);
  }
  throw new Error(
    `followers did not catch up within ${timeoutMs} ms (last: leader ${last?.leader}, current ${last?.current.join(' ')})`,
  );
}

/** A stream's state as one server holds it (its own replica), from that server's `/jsz`; undefined if absent. */
export async function streamOnServer(
  monitorUrl: string,
  stream: string,
): Promise<{ messages: number; lastSeq: number } | undefined> {
  const response = await fetch(`${monitorUrl}/jsz?accounts=true&streams=true`, {
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json()) as {
    account_details?: { stream_detail?: { name: string; state: { messages: number; last_seq: number } }[] }[];
  };
  for (const account of body.account_details ?? [])
    for (const detail of account.stream_detail ?? [])
      if (detail.name === stream) return { messages: detail.state.messages, lastSeq: detail.state.last_seq };
  return undefined;
}

/** Asks the leader of `stream` to step down (a new election among the others). */
export async function stepDownStream(nc: NatsConnection, stream: string): Promise<void> {
  await nc.request(`$JS.API.STREAM.LEADER.STEPDOWN.${stream}`, undefined, { timeout: 10_000 });
}

/**
 * Every durable of every stream as the cluster reports it now. Its position is the ack floor in consumer
 * sequence: the ack floor's STREAM sequence is not comparable across a restart on 2.9 (with nothing
 * pending it is moved past messages the filter skipped; restored from the replicated state it is the last
 * acked message's).
 */
export async function durablePositions(
  jsm: JetStreamManager,
): Promise<Map<string, { stream: string; ackFloor: number; delivered: number }>> {
  const out = new Map<string, { stream: string; ackFloor: number; delivered: number }>();
  for await (const stream of jsm.streams.list())
    for await (const consumer of jsm.consumers.list(stream.config.name))
      out.set(`${stream.config.name}/${consumer.name}`, {
        stream: stream.config.name,
        ackFloor: consumer.ack_floor.consumer_seq,
        delivered: consumer.delivered.consumer_seq,
      });
  return out;
}
