// `npm run demo`: the reference shop end to end on NATS JetStream. Starts a local nats-server unless
// NATS_URL is set, runs the five services (in this process, or one process each with --processes),
// drives orders through the choreographed saga, prints what happened and checks that nothing was lost
// or applied twice. Exits 1 when an invariant is violated, 2 on bad usage or a missing prerequisite.
import { existsSync, readdirSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import {
  dropServiceSchemas,
  isStreamsNotEmptyError,
  runSaga,
  type SagaRunResult,
  type SecuredDemoServer,
  startSecuredDemoServer,
} from '../src/reference/system/index.ts';
import { isNatsServerError } from '../src/runtime/errors.ts';
import { type NatsCluster, startNatsCluster } from '../src/runtime/nats-cluster.ts';
import { type NatsServer, startNatsServer } from '../src/runtime/nats-server.ts';
import { type OtelSpec, parseOtelSpec, type RunningOtel, startOtel } from './otel/sdk.ts';

function otelSpec(value: string): OtelSpec {
  try {
    return parseOtelSpec(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

const program = new Command('demo')
  .description('Run the eventkit reference shop on NATS JetStream and check its invariants')
  .option('--orders <n>', 'orders to place', positiveInt, 1000)
  .option('--processes', 'run each service as its own process (default: all in this process)')
  .option('--concurrency <n>', 'PlaceOrder requests in flight', positiveInt, 32)
  .option(
    '--cluster <n>',
    'start a local JetStream cluster of n servers (at least 2) instead of one server',
    positiveInt,
  )
  .option(
    '--replicas <n>',
    'replicas of every stream (default with --cluster: 3, or n when smaller; else the documents’)',
    positiveInt,
  )
  .option(
    '--no-auth',
    'run the local server open: no users, permissions or TLS (default: eventkit auth --tls)',
  )
  .option('--data-dir <dir>', 'keep the services’ databases here (default: a temp dir, removed afterwards)')
  .option('--json', 'print the result as JSON on stdout')
  .option(
    '--otel <exporter>',
    'OpenTelemetry SDK for the run: console (spans and metrics on stdout) or prometheus[:port] (GET /metrics, default port 9464)',
    otelSpec,
  )
  .addHelpText(
    'after',
    '\nExamples:\n' +
      '  $ npm run demo                                  1,000 orders on one local nats-server\n' +
      '  $ npm run demo -- --cluster 3                   a 3-server cluster, R3 streams, services connected to all three\n' +
      '  $ npm run demo -- --processes --orders 3000     one process per service\n' +
      '  $ npm run demo -- --otel prometheus:9464        metrics at http://localhost:9464/metrics during the run\n' +
      '  $ npm run demo -- --orders 20 --otel console    every span and, every 10 s, every metric on stdout\n' +
      '\nEnvironment: NATS_URL (use this server instead of starting one; it should be empty; a cluster: every URL,\n' +
      '             comma-separated),\n' +
      '             DATABASE_URL (PostgreSQL instead of PGlite, one fresh schema per service, dropped afterwards\n' +
      '             unless --data-dir is given).',
  )
  .parse();

const opts = program.opts<{
  orders: number;
  processes?: boolean;
  concurrency: number;
  cluster?: number;
  replicas?: number;
  dataDir?: string;
  json?: boolean;
  auth: boolean;
  otel?: OtelSpec;
}>();
if (opts.otel && opts.processes) {
  process.stderr.write(
    `${pc.red('✘')} --otel registers the SDK in this process; with --processes the services run in their own\n` +
      '  processes without one. Drop --processes (all services in this process) to see their traces and metrics.\n',
  );
  process.exit(2);
}
if (opts.otel?.kind === 'console' && opts.json) {
  process.stderr.write(
    `${pc.red('✘')} --otel console writes spans and metrics to stdout, where --json writes the result: use one\n` +
      '  of them, or --otel prometheus with --json.\n',
  );
  process.exit(2);
}
if (opts.cluster !== undefined && opts.cluster < 2) {
  process.stderr.write(`${pc.red('✘')} --cluster needs at least 2 servers (one server is the default)\n`);
  process.exit(2);
}
if (opts.cluster !== undefined && process.env.NATS_URL) {
  process.stderr.write(
    `${pc.red('✘')} --cluster starts its own servers: unset NATS_URL, or drop --cluster\n`,
  );
  process.exit(2);
}
const replicas = opts.replicas ?? (opts.cluster ? Math.min(opts.cluster, 3) : undefined);
if (replicas !== undefined && replicas > (opts.cluster ?? 1) && !process.env.NATS_URL) {
  process.stderr.write(
    `${pc.red('✘')} --replicas ${replicas} needs at least ${replicas} servers: add --cluster ${Math.max(replicas, 2)}\n`,
  );
  process.exit(2);
}
const isTty = process.stderr.isTTY;
let lastLine = '';
function progress(line: string): void {
  if (isTty) {
    process.stderr.write(`\r\x1b[2K${pc.dim('›')} ${line}`);
    lastLine = line;
  } else process.stderr.write(`› ${line}\n`);
}
function endProgress(): void {
  if (isTty && lastLine) process.stderr.write('\n');
  lastLine = '';
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}

/** `ORDERS n2 (n2 n1 n3)`: each stream's leader and the servers holding it. */
function placementLine(result: SagaRunResult): string {
  return Object.entries(result.broker.placement)
    .map(([stream, p]) => `${stream} ${p.leader}${p.servers.length > 1 ? ` (R${p.servers.length})` : ''}`)
    .join(', ');
}

function render(result: SagaRunResult, natsNote: string): string {
  const f = result.figures;
  const rejected = [...result.drive.rejected.entries()].map(
    ([code, n]) => `${n} ${code.replace('PLACE_ORDER_ERROR_', '').toLowerCase()}`,
  );
  const throughput = f.sagaWindowMs > 0 ? (f.completed + f.cancelled) / (f.sagaWindowMs / 1000) : 0;
  const rows: [string, string][] = [
    ['mode', `${result.mode}, ${natsNote}`],
    ...(cluster ? [['stream leaders', placementLine(result)] as [string, string]] : []),
    [
      'orders placed',
      `${f.orders}  (commands refused: ${rejected.length > 0 ? rejected.join(', ') : 'none'}; failed requests: ${result.drive.failed})`,
    ],
    ['orders completed', String(f.completed)],
    [
      'orders cancelled',
      `${f.cancelled}  (payment declined ${f.cancelledPaymentDeclined}, out of stock ${f.cancelledOutOfStock})`,
    ],
    ['payments refunded', String(f.refunded)],
    [
      'events published',
      `${f.eventsPublished}  (stream messages: ${Object.entries(result.broker.messagesPerStream)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ')})`,
    ],
    ['events consumed', `${f.eventsConsumed}  (applied by the services' inboxes, once per consumer)`],
    [
      'duplicates dropped',
      `${f.duplicatesDropped} by inboxes, ${f.duplicatePublishes} re-publishes dropped by JetStream`,
    ],
    ['dead letters', String(result.broker.deadLetters)],
    ['redeliveries', String(f.redeliveries)],
    [
      'throughput',
      `${throughput.toFixed(0)} orders/s through the saga (${(f.sagaWindowMs / 1000).toFixed(1)} s from first placed to last finished)`,
    ],
    [
      'saga latency',
      `p50 ${f.latencyP50Ms} ms, p99 ${f.latencyP99Ms} ms, max ${f.latencyMaxMs} ms (placed → completed/cancelled)`,
    ],
    ...result.memory.map((m): [string, string] => [`RSS ${m.name}`, `${mib(m.startRss)} → ${mib(m.endRss)}`]),
    ['wall time', `${(result.wallMs / 1000).toFixed(1)} s`],
  ];
  const verdict =
    result.invariants.violations.length === 0
      ? pc.green(`✔ all ${result.invariants.checked.length} invariants hold`)
      : pc.red(
          `✘ ${result.invariants.violations.length} invariant(s) violated:\n${result.invariants.violations.map((v) => `    - ${v}`).join('\n')}`,
        );
  return `\n${pc.bold('eventkit reference shop')}\n${table(rows)}\n\n${verdict}\n`;
}

if (opts.dataDir && existsSync(opts.dataDir) && readdirSync(opts.dataDir).length > 0) {
  process.stderr.write(
    `${pc.red('✘')} --data-dir ${opts.dataDir} is not empty (a previous run?); choose an empty or new folder\n`,
  );
  process.exit(2);
}

let server: NatsServer | undefined;
let secured: SecuredDemoServer | undefined;
let cluster: NatsCluster | undefined;
let natsUrl = process.env.NATS_URL;
let natsNote = `NATS_URL ${natsUrl}`;
try {
  if (!natsUrl && opts.cluster) {
    progress(`starting a local JetStream cluster of ${opts.cluster} nats-server -js (temp stores)`);
    cluster = await startNatsCluster({ size: opts.cluster });
    natsUrl = cluster.url;
    natsNote = `local cluster ${cluster.name} of ${cluster.servers.length} servers (${cluster.servers.map((s) => `${s.name} ${s.url}`).join(', ')}), streams R${replicas}`;
  } else if (!natsUrl && opts.auth) {
    progress('starting a local nats-server -js with the users, permissions and TLS of eventkit auth');
    secured = await startSecuredDemoServer();
    natsUrl = secured.url;
    natsNote = `local nats-server on ${secured.url}, TLS, ${secured.users} nkey users with permissions from the spec`;
  } else if (!natsUrl) {
    progress('starting a local nats-server -js (temp store)');
    server = await startNatsServer();
    natsUrl = server.url;
    natsNote = `local nats-server on ${server.url}`;
  }
} catch (error) {
  endProgress();
  if (isNatsServerError(error)) {
    process.stderr.write(
      `${pc.red('✘')} ${error.message}\n  The demo needs nats-server 2.9+ with JetStream: \`apt-get install nats-server\`,\n` +
        '  or download it from https://github.com/nats-io/nats-server/releases, or set NATS_URL to a running server.\n',
    );
    process.exit(2);
  }
  throw error;
}

const stopServer = async () => {
  await server?.stop();
  await cluster?.stop();
  await secured?.stop();
  server = undefined;
  cluster = undefined;
};
process.once('SIGINT', () => {
  endProgress();
  process.stderr.write('interrupted; stopping\n');
  void stopServer().then(() => process.exit(130));
});

let otel: RunningOtel | undefined;
if (opts.otel) {
  try {
    otel = await startOtel(opts.otel, { serviceName: 'eventkit-reference-demo' });
  } catch (error) {
    await stopServer();
    process.stderr.write(
      `${pc.red('✘')} --otel: could not start the exporter: ${(error as Error).message} (is the port in use?)\n`,
    );
    process.exit(2);
  }
  if (otel.metricsUrl) progress(`OpenTelemetry metrics at ${otel.metricsUrl} while the demo runs`);
}

let exitCode = 0;
// PostgreSQL: a fresh schema per service for this run, dropped afterwards (like the temp PGlite folder).
const schemaPrefix = process.env.DATABASE_URL ? `demo_${Date.now().toString(36)}_` : undefined;
try {
  const result = await runSaga({
    natsUrl,
    orders: opts.orders,
    processes: !!opts.processes,
    concurrency: opts.concurrency,
    ...(replicas !== undefined ? { replicas } : {}),
    ...(opts.dataDir ? { dataRoot: opts.dataDir, keepData: true } : {}),
    ...(process.env.DATABASE_URL && schemaPrefix
      ? { databaseUrl: process.env.DATABASE_URL, schemaPrefix }
      : {}),
    onProgress: progress,
    ...(secured ? { natsSecurity: secured.natsSecurity } : {}),
    requireEmptyStreams: server === undefined && cluster === undefined && secured === undefined,
  });
  endProgress();
  // Console: the last spans and the final metrics go out before the summary, so the summary ends the output.
  await otel?.shutdown();
  otel = undefined;
  if (opts.json)
    process.stdout.write(
      `${JSON.stringify(
        {
          ...result,
          finishedAt: result.finishedAt.size,
          drive: {
            ...result.drive,
            placed: result.drive.placed.size,
            rejected: Object.fromEntries(result.drive.rejected),
          },
        },
        null,
        2,
      )}\n`,
    );
  else process.stdout.write(render(result, natsNote));
  exitCode = result.invariants.violations.length === 0 ? 0 : 1;
} catch (error) {
  endProgress();
  process.stderr.write(`${pc.red('✘')} demo failed: ${(error as Error).message}\n`);
  exitCode = isStreamsNotEmptyError(error) ? 2 : 1;
} finally {
  await otel?.shutdown();
  await stopServer();
  if (process.env.DATABASE_URL && schemaPrefix && !opts.dataDir)
    await dropServiceSchemas(process.env.DATABASE_URL, schemaPrefix).catch((error: Error) =>
      process.stderr.write(`could not drop the demo schemas ${schemaPrefix}*: ${error.message}\n`),
    );
}
process.exit(exitCode);
