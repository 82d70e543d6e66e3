// Everything a reference service needs around its own code: database (migrated), NATS transport,
// publisher, outbox relay, router (events), responder and requester (request/reply). Each service's
// compose.ts builds one of these and wires its handlers into it; the same code runs in one process
// with the other services or alone.
import type { NatsConnection } from '@nats-io/transport-node';
import { type Db, type OutboxRelay, type OutboxRelayOptions, startOutboxRelay } from 'eventkit/outbox';
import type { ConsumerOptions } from '../../runtime/api.ts';
import {
  createPublisher,
  createRequester,
  createResponder,
  createRouter,
  jetstreamTransport,
  type Logger,
  type NatsSecurityOptions,
  type Publisher,
  type Requester,
  type Responder,
  type RouteOptions,
  type Router,
  silentLogger,
  type Transport,
} from '../../runtime/index.ts';
import { type FaultHooks, faultHooksFromEnv } from './fault-hooks.ts';
import { openServiceDb } from './open-db.ts';
import { type ServiceKit, serviceKit } from './service-kit.ts';

export interface ServiceOptions {
  /** NATS server URL. Default `NATS_URL`. */
  readonly natsUrl?: string;
  /** Folder of the PGlite data directories (`<dataRoot>/<service>`). Default `.data`. */
  readonly dataRoot?: string;
  /** PostgreSQL instead of PGlite. Default `DATABASE_URL`. */
  readonly databaseUrl?: string;
  /** PostgreSQL schema = prefix + service name (tests use a fresh prefix). Default `REFERENCE_SCHEMA_PREFIX` or none. */
  readonly schemaPrefix?: string;
  readonly logger?: Logger;
  /** Credentials and TLS of each service's own NATS user (`eventkit auth`); default the NATS_* variables. */
  readonly natsSecurity?: (service: string) => NatsSecurityOptions | undefined;
  readonly faults?: FaultHooks;
  readonly relay?: Partial<OutboxRelayOptions>;
  /** PGlite: share one database (a schema per service) with the other services of this process. */
  readonly sharedPglite?: boolean;
  /**
   * TEST-ONLY HOOK: settings laid over every consumer's contract settings (e.g. short backoffs so a
   * poison message reaches max deliveries within a test). Also from REFERENCE_CONSUMER_BACKOFF_MS.
   */
  readonly consumerOverrides?: Partial<Pick<ConsumerOptions, 'backoffMs' | 'maxDeliver' | 'ackWaitMs'>>;
}

export interface ServiceInfra {
  readonly service: string;
  readonly db: Db;
  readonly transport: Transport;
  readonly connection: NatsConnection;
  readonly publisher: Publisher;
  readonly relay: OutboxRelay;
  readonly router: Router;
  readonly responder: Responder;
  readonly requester: Requester;
  readonly kit: ServiceKit;
  readonly logger: Logger;
  /** Creates another router on the same connection (competing workers of one durable). */
  newRouter(): Router;
}

export interface RunningService {
  readonly name: string;
  readonly infra: ServiceInfra;
  stop(): Promise<void>;
}

function overridesFromEnv(env: NodeJS.ProcessEnv): ServiceOptions['consumerOverrides'] {
  const backoff = env.REFERENCE_CONSUMER_BACKOFF_MS;
  if (!backoff) return undefined;
  const backoffMs = backoff.split(',').map(Number);
  return {
    backoffMs,
    ackWaitMs: Math.max(...backoffMs),
    ...(env.REFERENCE_CONSUMER_MAX_DELIVER ? { maxDeliver: Number(env.REFERENCE_CONSUMER_MAX_DELIVER) } : {}),
  };
}

/**
 * A router that adds how THIS process runs handlers to the generated consumer settings: a bounded
 * number of handlers at once (a PGlite database has one connection, so more would only wait while
 * holding their messages), and the test hook's overrides.
 */
function withRouteDefaults(
  router: Router,
  defaults: Partial<RouteOptions>,
  overrides: ServiceOptions['consumerOverrides'],
): Router {
  const on = (...args: Parameters<Router['on']>) => {
    const [descriptor, options, handler] = args;
    return router.on(descriptor, { ...defaults, ...options, ...overrides } as RouteOptions, handler);
  };
  return Object.assign(Object.create(router) as Router, { on, handle: on });
}

export async function openServiceInfra(
  service: string,
  migrations: string,
  options: ServiceOptions = {},
): Promise<ServiceInfra> {
  const logger = options.logger ?? silentLogger;
  const db = await openServiceDb({
    service,
    ...(options.sharedPglite ? { sharedPglite: true } : {}),
    migrations,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.dataRoot ? { dataRoot: options.dataRoot } : {}),
    schema: `${options.schemaPrefix ?? process.env.REFERENCE_SCHEMA_PREFIX ?? ''}${service}`,
  });
  const transport = jetstreamTransport({
    servers: options.natsUrl ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    name: `reference-${service}`,
    ...(options.natsSecurity?.(service) ? { security: options.natsSecurity(service) } : {}),
  });
  let connection: NatsConnection;
  try {
    connection = await transport.connection();
  } catch (error) {
    await db.close();
    throw error;
  }
  const publisher = createPublisher({ transport, source: service });
  const relay = startOutboxRelay(db, (msg) => publisher.publishEnvelope(msg), {
    name: service,
    onError: (error) =>
      logger.warn('outbox relay round failed; retrying', { service, error: (error as Error).message }),
    ...options.relay,
  });
  const overrides = options.consumerOverrides ?? overridesFromEnv(process.env);
  const routeDefaults: Partial<RouteOptions> =
    db.dialect === 'pglite' ? { concurrency: 8, prefetch: 8 } : { concurrency: 32 };
  const newRouter = () =>
    withRouteDefaults(createRouter({ transport, service, logger }), routeDefaults, overrides);
  const kit = serviceKit(service, db, { relay, faults: options.faults ?? faultHooksFromEnv() });
  return {
    service,
    db,
    transport,
    connection,
    publisher,
    relay,
    router: newRouter(),
    responder: createResponder({ transport, service, logger }),
    requester: createRequester({ transport, source: service }),
    kit,
    logger,
    newRouter,
  };
}

/**
 * Graceful stop: stop taking requests and messages (in-flight handlers finish and ack), publish what
 * the outbox still holds, then close the connection and the database.
 */
export async function stopServiceInfra(
  infra: ServiceInfra,
  routers: readonly Router[] = [infra.router],
): Promise<void> {
  await infra.responder.drain();
  await Promise.all(routers.map((r) => r.drain()));
  try {
    await infra.relay.drain();
  } catch {
    // The broker is gone: the rows stay in the outbox and go out on the next start.
  }
  await infra.publisher.flush();
  await infra.transport.close();
  await infra.db.close();
}
