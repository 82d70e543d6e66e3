// One complete run of the reference system: provision, start services (in this process or one process
// each), seed the catalogue, drive orders, wait until quiet, stop, then read figures and check
// invariants from the databases and the broker. `npm run demo` and the end-to-end tests use it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { SPECIAL_USERS } from '../../auth/permissions.ts';
import { loadProject } from '../../model/index.ts';
import {
  createRequester,
  jetstreamTransport,
  type NatsSecurityOptions,
  securityToEnv,
} from '../../runtime/index.ts';
import { OrderCancelledV1, OrderCompletedV1 } from '../orders/generated/index.ts';
import type { RunningService } from '../platform/service-infra.ts';
import { type BrokerFacts, brokerFacts, waitForConsumersIdle } from './broker-facts.ts';
import { type DriveResult, driveOrders } from './driver.ts';
import { StreamsNotEmptyError } from './errors.ts';
import { collectFigures, type SagaFigures } from './figures.ts';
import { checkInvariants, type InvariantReport } from './invariants.ts';
import { openSystemDbs } from './open-dbs.ts';
import { createProcessCluster, type ProcessCluster } from './process-cluster.ts';
import { provisionFromRegistry, registryDurables } from './provision.ts';
import { SERVICE_NAMES, type ServiceName, startServices, stopServices } from './services.ts';
import { planWorkload, type WorkloadOptions } from './workload.ts';

export interface SagaRunOptions {
  /** One server URL, or every server of a cluster comma-separated. */
  readonly natsUrl: string;
  /** Replicas of every stream instead of the documents' (R3 on a 3-node cluster). */
  readonly replicas?: number;
  readonly orders: number;
  readonly processes: boolean;
  readonly concurrency: number;
  /** Open loop: send orders at this rate (orders/s) on schedule instead of `concurrency` in flight. */
  readonly rate?: number;
  /** Data directories; a temp dir (removed afterwards unless keepData) when omitted. */
  readonly dataRoot?: string;
  readonly keepData?: boolean;
  readonly databaseUrl?: string;
  readonly schemaPrefix?: string;
  readonly workload?: Partial<WorkloadOptions>;
  readonly quietTimeoutMs?: number;
  /** Refuse to run on a server whose reference streams already hold messages (a previous run's). */
  readonly requireEmptyStreams?: boolean;
  /** Progress lines (the demo prints them to stderr). */
  readonly onProgress?: (line: string, final?: boolean) => void;
  /** Extra environment per service process at its first start (fault tests: crash hooks). */
  readonly processEnv?: Partial<Record<ServiceName, Readonly<Record<string, string>>>>;
  /**
   * Each NATS user's credentials and TLS (`eventkit auth`): services by id, the driver as `eventkit-clients`,
   * provisioning and broker reads as `eventkit-admin`. Default: none (an open server).
   */
  readonly natsSecurity?: (user: string) => NatsSecurityOptions | undefined;
  /** Called with the process cluster while orders are being driven (fault tests kill processes from here). */
  readonly duringRun?: (cluster: ProcessCluster | undefined) => Promise<void> | void;
}

export interface ProcessMemory {
  readonly name: string;
  readonly startRss: number;
  readonly endRss: number;
  /** Highest RSS sampled (every 250 ms) while orders were driven and the system drained. */
  readonly peakRss: number;
  /** CPU time used from the first order to quiet (user + system), ms. */
  readonly cpuMs: number;
}

export interface SagaRunResult {
  readonly figures: SagaFigures;
  readonly invariants: InvariantReport;
  readonly broker: BrokerFacts;
  readonly drive: DriveResult;
  readonly quiet: boolean;
  readonly memory: readonly ProcessMemory[];
  /** When the driver saw each order finish (OrderCompleted / OrderCancelled on the broker), by order id. */
  readonly finishedAt: ReadonlyMap<string, number>;
  readonly mode: 'one process' | 'one process per service';
  readonly wallMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function streamCount(
  nc: import('@nats-io/transport-node').NatsConnection,
  stream: string,
  filter: string,
): Promise<number> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(stream, { subjects_filter: filter });
  return Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0);
}

/** `<service> outbox (N unpublished)` for every in-process service whose relay has not caught up. */
async function unpublishedOutboxes(services: readonly RunningService[]): Promise<string[]> {
  const busy: string[] = [];
  for (const { name, infra } of services) {
    const { rows } = await infra.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
    );
    const n = rows[0]?.n ?? 0;
    const relay = infra.relay.stats;
    if (n > 0)
      busy.push(
        `${name} outbox (${n} unpublished; relay: ${relay.rounds} rounds, ${relay.failedRounds} failed, ` +
          `${relay.inFlight} in flight, publisher ${infra.publisher.inFlight} in flight` +
          `${relay.lastError ? `, last error: ${relay.lastError}` : ''})`,
      );
  }
  return busy;
}

export async function runSaga(options: SagaRunOptions): Promise<SagaRunResult> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => {});
  const ownData = options.dataRoot === undefined;
  const dataRoot = options.dataRoot ?? mkdtempSync(join(tmpdir(), 'eventkit-demo-'));
  mkdirSync(dataRoot, { recursive: true });
  const plan = planWorkload({ ...options.workload, orders: options.orders });
  const productCount = plan.productIds.length;

  progress('loading the registry from asyncapi/ and contracts/proto/');
  const project = await loadProject(process.cwd());
  const errors = project.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    throw new Error(`the registry has errors (run \`eventkit lint\`): ${errors[0]?.message}`);

  const securityOf = (user: string) => {
    const security = options.natsSecurity?.(user);
    return security ? { security } : {};
  };
  const transport = jetstreamTransport({
    servers: options.natsUrl,
    name: 'reference-demo',
    ...securityOf(SPECIAL_USERS.admin),
  });
  const nc = await transport.connection();
  // The driver places orders as an outside caller would: the clients user may only send PlaceOrder.
  const driverTransport = options.natsSecurity
    ? jetstreamTransport({
        servers: options.natsUrl,
        name: 'reference-driver',
        ...securityOf(SPECIAL_USERS.clients),
      })
    : transport;
  const env: Record<string, string> = {
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.schemaPrefix ? { REFERENCE_SCHEMA_PREFIX: options.schemaPrefix } : {}),
  };
  let cluster: ProcessCluster | undefined;
  let inProcess: RunningService[] = [];
  const memoryStart = new Map<string, number>();
  const peakRss = new Map<string, number>();
  const finishedAt = new Map<string, number>();
  const readCpu = (): Map<string, number> => {
    const out = new Map<string, number>();
    if (cluster) for (const [name, p] of cluster.processes) out.set(name, p.cpuMs() ?? 0);
    else {
      const used = process.cpuUsage();
      out.set('all services (one process)', (used.user + used.system) / 1000);
    }
    return out;
  };
  const readMemory = (): Map<string, number> => {
    const out = new Map<string, number>();
    if (cluster) for (const [name, p] of cluster.processes) out.set(name, p.rss() ?? 0);
    else out.set('all services (one process)', process.memoryUsage().rss);
    return out;
  };
  try {
    progress('provisioning streams and consumers from the registry');
    const provisioned = await provisionFromRegistry(
      project.registry,
      nc,
      options.replicas !== undefined ? { replicas: options.replicas } : {},
    );
    if (provisioned.conflicts.length > 0 || provisioned.failed.length > 0)
      throw new Error(
        `provisioning could not make the server match the registry (${[...provisioned.conflicts, ...provisioned.failed].join('; ')}); ` +
          'use an empty nats-server (unset NATS_URL to let the demo start one)',
      );
    if (options.requireEmptyStreams) {
      const held = Object.entries((await brokerFacts(nc)).messagesPerStream).filter(([, n]) => n > 0);
      if (held.length > 0) throw new StreamsNotEmptyError(held.map(([name, n]) => `${name} ${n}`).join(', '));
    }
    const serviceOptions = {
      natsUrl: options.natsUrl,
      dataRoot,
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
      ...(options.schemaPrefix ? { schemaPrefix: options.schemaPrefix } : {}),
      ...(options.natsSecurity ? { natsSecurity: options.natsSecurity } : {}),
    };
    if (options.processes) {
      const seedFile = join(dataRoot, 'catalog-seed.json');
      writeFileSync(seedFile, JSON.stringify(plan.catalog));
      const natsSecurity = options.natsSecurity;
      cluster = createProcessCluster({
        natsUrl: options.natsUrl,
        dataRoot,
        seedFile,
        env,
        ...(natsSecurity ? { envOf: (name: ServiceName) => securityToEnv(natsSecurity(name) ?? {}) } : {}),
      });
      progress('starting 5 service processes');
      const consumers = SERVICE_NAMES.filter((n) => n !== 'stores');
      await Promise.all(consumers.map((name) => cluster?.start(name, options.processEnv?.[name])));
      await cluster.start('stores', options.processEnv?.stores);
    } else {
      progress('starting 5 services in this process');
      // One PGlite for the five services (a schema each): one WASM heap instead of five (~1.1 GB → ~0.5 GB).
      inProcess = await startServices([...SERVICE_NAMES], {
        ...serviceOptions,
        seed: plan.catalog,
        sharedPglite: true,
      });
    }
    for (const [name, rss] of readMemory()) memoryStart.set(name, rss);

    // Orders and inventory learn the catalogue from stores' events before the first order.
    progress(`waiting for orders and inventory to learn ${productCount} products`);
    const deadline = Date.now() + 60_000;
    while ((await streamCount(nc, 'STORES', 'stores.product-added.v1.>')) < productCount) {
      if (Date.now() > deadline) throw new Error('stores did not publish its catalogue within 60 s');
      await sleep(100);
    }
    await waitForConsumersIdle(
      nc,
      [
        { stream: 'STORES', durable: 'orders--product-added-v1' },
        { stream: 'STORES', durable: 'inventory--product-added-v1' },
      ],
      { timeoutMs: 60_000, stableChecks: 1, intervalMs: 100 },
    );

    // Saga latency: from the order's due time to its terminal event on the broker (seen here, one clock).
    for (const descriptor of [OrderCompletedV1, OrderCancelledV1])
      nc.subscribe(descriptor.subjectFilter, {
        callback: (error, msg) => {
          // A secured run's admin user may not read event subjects: then there are no latencies, nothing else.
          if (error || !msg) return;
          const orderId = msg.subject.slice(msg.subject.lastIndexOf('.') + 1);
          if (!finishedAt.has(orderId)) finishedAt.set(orderId, Date.now());
        },
      });
    await nc.flush();
    const cpuStart = readCpu();
    const sampler = setInterval(() => {
      for (const [name, rss] of readMemory()) peakRss.set(name, Math.max(peakRss.get(name) ?? 0, rss));
    }, 250);
    const requester = createRequester({ transport: driverTransport, source: 'demo-driver' });
    const driving = driveOrders(requester, plan.orders, {
      concurrency: options.concurrency,
      ...(options.rate !== undefined ? { rate: options.rate } : {}),
      onProgress: (done) => {
        if (done % 50 === 0 || done === plan.orders.length)
          progress(`orders sent ${done}/${plan.orders.length}`);
      },
    });
    await options.duringRun?.(cluster);
    const drive = await driving;
    progress(
      `orders placed ${drive.placed.size}, refused ${[...drive.rejected.values()].reduce((a, b) => a + b, 0)}, failed ${drive.failed} in ${(drive.durationMs / 1000).toFixed(1)} s; waiting until quiet`,
    );
    let stillBusy: string[] = [];
    const quiet = await waitForConsumersIdle(nc, registryDurables(project.registry), {
      timeoutMs: options.quietTimeoutMs ?? 120_000,
      stableChecks: 3,
      intervalMs: 300,
      // Idle consumers are not enough: while a relay retries through an election nothing is pending on the
      // broker, yet its outbox still holds events (in-process services only; processes own their databases).
      alsoBusy: () => unpublishedOutboxes(inProcess),
      onWait: (busy) => {
        stillBusy = busy;
        progress(`waiting for ${busy.length} consumer(s)/outbox(es): ${busy.slice(0, 2).join(', ')}`);
      },
    });
    const memoryEnd = readMemory();
    clearInterval(sampler);
    const cpuEnd = readCpu();
    progress('stopping services');
    if (cluster) await cluster.stopAll();
    await stopServices(inProcess);
    inProcess = [];
    const broker = await brokerFacts(nc);
    const opened = await openSystemDbs({
      dataRoot,
      sharedPglite: !options.processes,
      ...(options.databaseUrl
        ? { databaseUrl: options.databaseUrl, schemaPrefix: options.schemaPrefix ?? '' }
        : {}),
    });
    try {
      const figures = await collectFigures(opened.dbs);
      const invariants = await checkInvariants(opened.dbs);
      const placedMissing = [...drive.placed.keys()].length - figures.orders;
      if (placedMissing > 0)
        invariants.violations.push(`${placedMissing} accepted orders are missing from the orders database`);
      if (broker.repeatedSubjects.length > 0)
        invariants.violations.push(
          `events published more than once: ${broker.repeatedSubjects.slice(0, 5).join(', ')}`,
        );
      invariants.checked.push(
        'every accepted order is stored',
        'every event is on its stream once (messages per subject)',
      );
      if (!quiet)
        invariants.violations.push(
          `the system did not become quiet before the timeout (still busy: ${stillBusy.join(', ')})`,
        );
      const memory = [...memoryStart].map(([name, startRss]) => ({
        name,
        startRss,
        endRss: memoryEnd.get(name) ?? 0,
        peakRss: Math.max(peakRss.get(name) ?? 0, memoryEnd.get(name) ?? 0),
        cpuMs: (cpuEnd.get(name) ?? 0) - (cpuStart.get(name) ?? 0),
      }));
      return {
        figures,
        invariants,
        broker,
        drive,
        quiet,
        memory,
        finishedAt,
        mode: options.processes ? 'one process per service' : 'one process',
        wallMs: Date.now() - started,
      };
    } finally {
      await opened.close();
    }
  } finally {
    if (cluster) await cluster.stopAll(5_000);
    await stopServices(inProcess);
    if (driverTransport !== transport) await driverTransport.close();
    await transport.close();
    if (ownData && !options.keepData) rmSync(dataRoot, { recursive: true, force: true });
  }
}
