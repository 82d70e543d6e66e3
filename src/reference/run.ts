// Runs reference services: all of them in one process (modular monolith) or one per process, same code.
//
//   tsx src/reference/run.ts --service orders [--service payments …] [--nats-url URL] [--data-dir DIR]
//   tsx src/reference/run.ts --all --seed catalog.json
//
// Prints one JSON line `{"ready":[…],"pid":N}` on stdout when started; SIGTERM/SIGINT stop gracefully.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { consoleLogger, createRequester, jetstreamTransport } from '../runtime/index.ts';
import { startOrdersHttpApi } from './orders/http-api.ts';
import type { CatalogSeed } from './stores/catalog-service.ts';
import {
  isServiceName,
  SERVICE_NAMES,
  type ServiceName,
  startServices,
  stopServices,
} from './system/services.ts';

const program = new Command('reference')
  .description('Run services of the eventkit reference shop on NATS JetStream')
  .option('--service <name...>', `services to run: ${SERVICE_NAMES.join(', ')}`)
  .option('--all', 'run every service in this process')
  .option('--nats-url <url>', 'NATS server (default NATS_URL or nats://127.0.0.1:4222)')
  .option('--data-dir <dir>', 'folder of the PGlite data directories (ignored with DATABASE_URL)', '.data')
  .option('--seed <file>', 'catalogue to create in stores at start (JSON: { stores: [...] })')
  .option('--workers <n>', 'notification delivery workers in this process', '3')
  .option(
    '--http <port>',
    'also serve POST /orders and GET /orders/:id on this port (forwards to PlaceOrder/GetOrder)',
  )
  .option('--verbose', 'log warnings from the runtime to stderr')
  .parse();

const opts = program.opts<{
  service?: string[];
  all?: boolean;
  natsUrl?: string;
  dataDir: string;
  seed?: string;
  workers: string;
  http?: string;
  verbose?: boolean;
}>();
const names = opts.all ? [...SERVICE_NAMES] : (opts.service ?? []);
const unknown = names.filter((n) => !isServiceName(n));
if (names.length === 0 || unknown.length > 0) {
  process.stderr.write(
    `${unknown.length > 0 ? `unknown service ${unknown.join(', ')}; ` : ''}choose --all or --service with one of: ${SERVICE_NAMES.join(', ')}\n`,
  );
  process.exit(2);
}

let seed: CatalogSeed | undefined;
if (opts.seed) {
  try {
    seed = JSON.parse(readFileSync(opts.seed, 'utf8')) as CatalogSeed;
  } catch (error) {
    process.stderr.write(`cannot read the seed file ${opts.seed}: ${(error as Error).message}\n`);
    process.exit(2);
  }
}

try {
  const running = await startServices(names as ServiceName[], {
    dataRoot: opts.dataDir,
    workers: Number(opts.workers),
    ...(opts.natsUrl ? { natsUrl: opts.natsUrl } : {}),
    ...(seed ? { seed } : {}),
    ...(opts.verbose ? { logger: consoleLogger('warn') } : {}),
  });
  const http = opts.http
    ? await startOrdersHttpApi(
        createRequester({
          transport: jetstreamTransport({
            servers: opts.natsUrl ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
          }),
          source: 'http-api',
        }),
        Number(opts.http),
      )
    : undefined;
  process.stdout.write(
    `${JSON.stringify({ ready: running.map((s) => s.name), pid: process.pid, ...(http ? { http: http.url } : {}) })}\n`,
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await http?.close();
    await stopServices(running);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
} catch (error) {
  process.stderr.write(`cannot start ${names.join(', ')}: ${(error as Error).message}\n`);
  process.exit(1);
}
