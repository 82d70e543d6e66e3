// Spawns a local JetStream cluster: N `nats-server -js` processes on loopback, each with its own
// server_name, store dir, client, route and monitoring port, routed to each other under one cluster
// name. Used by `npm run demo -- --cluster 3`, the cluster fault tests and the R3/R1 benchmark.
import { NatsServerError } from './errors.ts';
import { freePort, type NatsServer, startNatsServer } from './nats-server.ts';

export interface NatsClusterOptions {
  /** Servers in the cluster, at least 2. Default 3 (JetStream needs a majority: 3 survives one loss, 5 two). */
  readonly size?: number;
  /** Cluster name. Default `eventkit`. */
  readonly name?: string;
  /** Path of the binary (see `NatsServerOptions.binary`). */
  readonly binary?: string;
  /** Ping interval of clients and routes (see `NatsServerOptions.pingIntervalMs`). */
  readonly pingIntervalMs?: number;
  /** How long starting may take, until the JetStream meta leader is elected. Default 30 s. */
  readonly startTimeoutMs?: number;
}

/** One server of a cluster: a `NatsServer` with its name and monitoring URL. */
export interface ClusterServer extends NatsServer {
  readonly name: string;
  /** `http://127.0.0.1:<port>` (`/jsz`, `/routez`, `/varz`). */
  readonly monitorUrl: string;
}

export interface NatsCluster {
  readonly name: string;
  readonly servers: readonly ClusterServer[];
  /** Every client URL, comma-separated: what `connectNats`, `NATS_URL` and `--server` accept. */
  readonly url: string;
  readonly urls: readonly string[];
  /** The server called `name` (`n1`, `n2`, …). */
  server(name: string): ClusterServer;
  /**
   * Waits until a majority of the servers (all of them with `{ all: true }`) answer and agree on one
   * JetStream meta leader; returns its name. Paused or killed servers simply do not answer.
   */
  waitForMetaLeader(options?: { readonly timeoutMs?: number; readonly all?: boolean }): Promise<string>;
  /** Stops every server and removes the store dirs. */
  stop(): Promise<void>;
}

interface MetaClusterInfo {
  readonly leader?: string;
  readonly cluster_size?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What one server's `/jsz` says about the meta group; undefined when it does not answer. */
async function metaClusterOf(monitorUrl: string): Promise<MetaClusterInfo | undefined> {
  try {
    const response = await fetch(`${monitorUrl}/jsz`, { signal: AbortSignal.timeout(1_000) });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { meta_cluster?: MetaClusterInfo };
    return body.meta_cluster ?? {};
  } catch {
    return undefined;
  }
}

/** Start `size` routed nats-server processes and wait until JetStream has a meta leader. */
export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<NatsCluster> {
  const size = options.size ?? 3;
  // One server alone cannot cluster (JetStream refuses a cluster without routes): use startNatsServer.
  if (!Number.isInteger(size) || size < 2)
    throw new NatsServerError(`a cluster needs a whole number of at least 2 servers, got ${size}`);
  const name = options.name ?? 'eventkit';
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const ports: { client: number; route: number; monitor: number }[] = [];
  const taken = new Set<number>();
  const pick = async (): Promise<number> => {
    for (;;) {
      const port = await freePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  for (let i = 0; i < size; i++)
    ports.push({ client: await pick(), route: await pick(), monitor: await pick() });
  const routeUrls = ports.map((p) => `nats://127.0.0.1:${p.route}`);

  const started = await Promise.allSettled(
    ports.map((p, i) =>
      startNatsServer({
        port: p.client,
        serverName: `n${i + 1}`,
        monitorPort: p.monitor,
        cluster: { name, port: p.route, routes: routeUrls.filter((_, j) => j !== i) },
        startTimeoutMs,
        ...(options.binary ? { binary: options.binary } : {}),
        ...(options.pingIntervalMs ? { pingIntervalMs: options.pingIntervalMs } : {}),
      }).then(
        (server): ClusterServer =>
          Object.assign(server, {
            name: `n${i + 1}`,
            monitorUrl: `http://127.0.0.1:${p.monitor}`,
          }) as ClusterServer,
      ),
    ),
  );
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop()));
  };
  const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }

  async function waitForMetaLeader(wait: { timeoutMs?: number; all?: boolean } = {}): Promise<string> {
    const deadline = Date.now() + (wait.timeoutMs ?? startTimeoutMs);
    const needed = wait.all ? servers.length : Math.floor(servers.length / 2) + 1;
    let seen: (MetaClusterInfo | undefined)[] = [];
    while (Date.now() < deadline) {
      seen = await Promise.all(servers.map((s) => metaClusterOf(s.monitorUrl)));
      const answering = seen.filter((m): m is MetaClusterInfo => m !== undefined);
      const leaders = new Set(answering.map((m) => m.leader ?? ''));
      const [leader] = leaders;
      if (answering.length >= needed && leaders.size === 1 && leader) return leader;
      await sleep(100);
    }
    throw new NatsServerError(
      `the JetStream meta leader of cluster ${name} was not elected within ${wait.timeoutMs ?? startTimeoutMs} ms ` +
        `(servers say: ${seen.map((m, i) => `n${i + 1} ${m ? m.leader || 'no leader' : 'no answer'}`).join(', ')})`,
    );
  }

  try {
    await waitForMetaLeader({ all: true });
  } catch (error) {
    await stop();
    throw error;
  }
  const urls = servers.map((s) => s.url);
  return {
    name,
    servers,
    urls,
    url: urls.join(','),
    server(serverName: string) {
      const found = servers.find((s) => s.name === serverName);
      if (!found)
        throw new NatsServerError(
          `no server ${serverName} in cluster ${name} (it has ${servers.map((s) => s.name).join(', ')})`,
        );
      return found;
    },
    waitForMetaLeader,
    stop,
  };
}
