// Spawns a local nats-server with JetStream (for `npm run demo`, tests and benchmarks).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NatsServerError } from './errors.ts';

export { isNatsServerError, NatsServerError } from './errors.ts';

export interface NatsServerOptions {
  /** JetStream store dir; a fresh temp dir (removed on stop) when omitted. */
  readonly storeDir?: string;
  /** Port; a free loopback port when omitted. */
  readonly port?: number;
  /** Path of the binary; default `NATS_SERVER_BIN` or `/usr/sbin/nats-server` or `nats-server` on PATH. */
  readonly binary?: string;
  /** How long to wait for the server to accept connections. Default 10 s. */
  readonly startTimeoutMs?: number;
  /**
   * A config file (`-c`), e.g. one with the users of `eventkit auth`. It must set the same port, host
   * 127.0.0.1 and store dir as given here: nothing else is passed on the command line then (the options
   * below are ignored), because nats-server refuses to reload a config whose store dir differs from a
   * command-line one.
   */
  readonly configFile?: string;
  /** `server_name` (JetStream clustering needs a unique, stable one per server). */
  readonly serverName?: string;
  /** Join a cluster: listen for routes on `port`, solicit `routes` (the other servers' route URLs). */
  readonly cluster?: { readonly name: string; readonly port: number; readonly routes: readonly string[] };
  /** HTTP monitoring port (`/jsz`, `/routez`); none when omitted. */
  readonly monitorPort?: number;
  /**
   * Ping interval for clients and routes (default the server's 2 min). Fault tests set it short so a
   * stopped server's routes are dropped within seconds; `ping_max` is then 2.
   */
  readonly pingIntervalMs?: number;
}

export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** `server_name` when one was given. */
  readonly name: string | undefined;
  /** Process id while running. */
  readonly pid: number | undefined;
  /** Graceful stop (SIGTERM); removes the store dir when it was created here. */
  stop(): Promise<void>;
  /** Kill with a signal (default SIGKILL) and wait for the process to exit; keeps the store. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Start again on the same port with the same store (after kill or stop). */
  restart(): Promise<void>;
  /** Re-read the config file (SIGHUP, what `nats-server --signal reload` sends); resolves once it has. */
  reload(): Promise<void>;
  /** The server's recent log output (the last 64 KiB). */
  log(): string;
  /** SIGSTOP: the process freezes (sockets stay open, nothing answers): a hung or partitioned server. */
  pause(): void;
  /** SIGCONT after `pause()`. */
  resume(): void;
}

const DEFAULT_BINARIES = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];

function findBinary(explicit?: string): string {
  const wanted = explicit ?? process.env.NATS_SERVER_BIN;
  if (wanted) {
    if (!existsSync(wanted)) throw new NatsServerError(`nats-server not found at ${wanted}`);
    return wanted;
  }
  for (const candidate of DEFAULT_BINARIES) if (existsSync(candidate)) return candidate;
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir, 'nats-server');
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new NatsServerError(
    'nats-server is not installed: install it with `apt-get install nats-server` (or set NATS_SERVER_BIN)',
  );
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Start nats-server -js on loopback and wait until it accepts connections. */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const binary = findBinary(options.binary);
  const ownStore = options.storeDir === undefined;
  const storeDir = options.storeDir ?? mkdtempSync(join(tmpdir(), 'eventkit-nats-'));
  const port = options.port ?? (await freePort());
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  let child: ChildProcess | undefined;
  let output = '';
  const args = ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir];
  if (options.serverName) args.push('--server_name', options.serverName);
  if (options.monitorPort) args.push('-m', String(options.monitorPort));
  if (options.cluster) {
    const { name, port: routePort, routes } = options.cluster;
    args.push('--cluster_name', name, '--cluster', `nats://127.0.0.1:${routePort}`);
    if (routes.length > 0) args.push('--routes', routes.join(','));
  }
  if (options.pingIntervalMs) {
    // Ping settings exist only in the config file; flags still override everything else.
    const configFile = join(storeDir, 'eventkit-ping.conf');
    writeFileSync(configFile, `ping_interval: "${options.pingIntervalMs}ms"\nping_max: 2\n`);
    args.push('-c', configFile);
  }
  if (options.configFile) args.splice(0, args.length, '-c', options.configFile);

  async function launch(): Promise<void> {
    output = '';
    const proc = spawn(binary, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-65_536);
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);
    let exited = false;
    proc.once('exit', () => {
      exited = true;
    });
    const deadline = Date.now() + startTimeoutMs;
    // JetStream is ready shortly after the listener; the log line tells us for sure.
    while (Date.now() < deadline) {
      if (exited)
        throw new NatsServerError(
          `nats-server exited at start (port ${port}): ${output.trim().slice(-4000)}`,
        );
      if (/Server is ready/.test(output) && (await canConnect(port))) return;
      await sleep(25);
    }
    proc.kill('SIGKILL');
    throw new NatsServerError(
      `nats-server did not start on port ${port} within ${startTimeoutMs} ms: ${output.trim().slice(-4000)}`,
    );
  }

  async function waitExit(signal: NodeJS.Signals): Promise<void> {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill(signal);
      // A paused (SIGSTOPped) server handles SIGTERM only once it runs again.
      if (signal !== 'SIGKILL') proc.kill('SIGCONT');
    });
  }

  await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    name: options.serverName,
    get pid() {
      return child?.pid;
    },
    async stop() {
      await waitExit('SIGTERM');
      if (ownStore) rmSync(storeDir, { recursive: true, force: true });
    },
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      await waitExit(signal);
    },
    async restart() {
      await waitExit('SIGTERM');
      await launch();
    },
    async reload() {
      const proc = child;
      if (!proc) throw new NatsServerError('nats-server is not running');
      const before = (output.match(/Reloaded/g) ?? []).length;
      proc.kill('SIGHUP');
      const deadline = Date.now() + startTimeoutMs;
      while ((output.match(/Reloaded/g) ?? []).length === before) {
        if (Date.now() > deadline)
          throw new NatsServerError(`nats-server did not reload its config: ${output.trim().slice(-2000)}`);
        await sleep(25);
      }
    },
    log: () => output,
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
  };
}
