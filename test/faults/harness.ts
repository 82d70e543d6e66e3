// Fault tests run the reference system as real processes (one per service) on a real nats-server the
// test starts (file storage), inject one kind of failure while orders flow, then check the end state:
// every order terminal, nothing lost, no effect applied twice, and how many redeliveries it took.
import { expect } from 'vitest';
import type { SagaRunOptions, SagaRunResult } from '../../src/reference/system/run-saga.ts';
import { runSaga } from '../../src/reference/system/run-saga.ts';
import { type NatsServer, startNatsServer } from '../support/nats-server.ts';

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
