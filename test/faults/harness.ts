// Fault tests run the reference system as real processes (one per service) on a real nats-server the
// test starts (file storage), inject one kind of failure while orders flow, then check the end state:
// every order terminal, nothing lost, no effect applied twice, and how many redeliveries it took.
import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { expect } from 'vitest';
import type { SagaRunOptions, SagaRunResult } from '../../src/reference/system/run-saga.ts';
import { runSaga } from '../../src/reference/system/run-saga.ts';
import { connectNats } from '../../src/runtime/transports/jetstream.ts';
import {
  type NatsCluster,
  type NatsServer,
  startNatsCluster,
  startNatsServer,
} from '../support/nats-server.ts';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// CI drives a few hundred orders per fault to stay fast; `FAULT_ORDERS=3000 npx vitest run test/faults`
// drives that many instead (and scales the time limits with it).
const orderOverride = Number(process.env.FAULT_ORDERS ?? '');
/** Orders to drive: the test's default, or FAULT_ORDERS when set. */
export function faultOrders(defaultCount: number): number {
  return Number.isInteger(orderOverride) && orderOverride > 0 ? orderOverride : defaultCount;
}
/** The test's time limit, scaled with FAULT_ORDERS. */
export function faultTimeout(defaultMs: number, defaultCount: number): number {
  return Math.round(defaultMs * Math.max(1, faultOrders(defaultCount) / defaultCount));
}

export interface FaultRun {
  readonly result: SagaRunResult;
  readonly server: NatsServer;
}

/** Runs the saga in processes with `inject` running while orders are driven; always stops the server. */
export async function runWithFault(
  options: Omit<SagaRunOptions, 'natsUrl' | 'processes'> & {
    readonly inject?: (
      server: NatsServer,
      cluster: NonNullable<Parameters<NonNullable<SagaRunOptions['duringRun']>>[0]>,
    ) => Promise<void>;
  },
): Promise<SagaRunResult> {
  const server = await startNatsServer();
  try {
    const started = Date.now();
    const verbose = process.env.FAULT_VERBOSE === '1';
    return await runSaga({
      ...options,
      natsUrl: server.url,
      processes: true,
      quietTimeoutMs: options.quietTimeoutMs ?? 45_000 * Math.max(1, options.orders / 300),
      onProgress: (line) => {
        if (verbose) process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
      },
      duringRun: async (cluster) => {
        if (cluster && options.inject) await options.inject(server, cluster);
      },
    });
  } finally {
    await server.stop();
  }
}

/** The end state every fault test demands, plus a one-line summary for the test log. */
export function expectConsistent(name: string, result: SagaRunResult): void {
  const f = result.figures;
  // Printed so the run's numbers are visible in the test output (and in reports).
  process.stdout.write(
    `[fault:${name}] orders ${f.orders} (completed ${f.completed}, cancelled ${f.cancelled}, refunded ${f.refunded}); ` +
      `requests failed ${result.drive.failed}; lost ${result.drive.placed.size - (f.completed + f.cancelled)} of ${result.drive.placed.size} accepted; ` +
      `duplicates dropped ${f.duplicatesDropped}, duplicate publishes ${f.duplicatePublishes}, redeliveries ${f.redeliveries}, ` +
      `dead letters ${result.broker.deadLetters}; invariants ${result.invariants.violations.length === 0 ? 'ok' : result.invariants.violations.join(' | ')}\n`,
  );
  expect(result.invariants.violations).toEqual([]);
  expect(result.quiet).toBe(true);
  expect(f.orders).toBe(result.drive.placed.size);
  expect(f.completed + f.cancelled).toBe(f.orders);
  expect(result.drive.failed).toBe(0);
}

/** Leader elections a cluster fault test caused and waited for. */
export class Elections {
  readonly times: number[] = [];
  record(ms: number): void {
    this.times.push(ms);
  }
  get summary(): string {
    return `elections ${this.times.length} (max ${this.times.length > 0 ? Math.max(...this.times) : 0} ms)`;
  }
}

export interface ClusterFaultContext {
  readonly cluster: NatsCluster;
  /** A connection of the test's own (to every server) for JetStream API calls. */
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  readonly elections: Elections;
}

/**
 * Runs the saga on a fresh 3-node cluster with R3 streams, every service connected to all three servers;
 * `inject` runs while orders are driven. The services run in this process unless `processes` (the faults
 * here are the broker's; five service processes cost a minute of start-up on a loaded 2-core machine).
 * Always stops the cluster.
 */
export async function runOnCluster(
  options: Omit<SagaRunOptions, 'natsUrl' | 'processes'> & {
    readonly processes?: boolean;
    readonly pingIntervalMs?: number;
    readonly inject: (context: ClusterFaultContext) => Promise<void>;
  },
): Promise<{ result: SagaRunResult; elections: Elections; cluster: NatsCluster }> {
  const cluster = await startNatsCluster({
    size: 3,
    ...(options.pingIntervalMs ? { pingIntervalMs: options.pingIntervalMs } : {}),
  });
  const nc = await connectNats({ servers: cluster.url, name: 'fault-test' });
  const elections = new Elections();
  try {
    const jsm = await jetstreamManager(nc, { timeout: 10_000, checkAPI: false });
    const started = Date.now();
    const verbose = process.env.FAULT_VERBOSE === '1';
    const result = await runSaga({
      ...options,
      natsUrl: cluster.url,
      replicas: 3,
      processes: options.processes ?? false,
      quietTimeoutMs: options.quietTimeoutMs ?? 60_000 * Math.max(1, options.orders / 300),
      onProgress: (line) => {
        if (verbose) process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
      },
      duringRun: () => options.inject({ cluster, nc, jsm, elections }),
    });
    return { result, elections, cluster };
  } finally {
    await nc.close().catch(() => undefined);
    await cluster.stop();
  }
}

/** The cluster tests' line: `orders N, lost 0 of N accepted, duplicates dropped D, elections E (max M ms)`. */
export function printClusterLine(name: string, result: SagaRunResult, elections: Elections): void {
  const accepted = result.drive.placed.size;
  const finished = result.figures.completed + result.figures.cancelled;
  process.stdout.write(
    `[fault:${name}] orders ${result.figures.orders}, lost ${accepted - finished} of ${accepted} accepted, ` +
      `duplicates dropped ${result.figures.duplicatesDropped}, ${elections.summary}\n`,
  );
}
