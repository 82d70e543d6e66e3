// Runs each reference service as its own child process (`run.ts --service <name>`): what the demo's
// --processes mode and the fault tests use. Processes can be killed (SIGKILL) and restarted with the
// same data directory, like a crashed pod coming back.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceName } from './services.ts';

const RUN_SCRIPT = join(import.meta.dirname, '..', 'run.ts');

export interface ProcessClusterOptions {
  readonly natsUrl: string;
  readonly dataRoot: string;
  /** Catalogue seed file for the stores process. */
  readonly seedFile?: string;
  /** Extra environment for every process (DATABASE_URL, …). */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra environment of one service's process (its NATS credentials). */
  readonly envOf?: (service: ServiceName) => Readonly<Record<string, string>>;
  /** Where child stderr goes (default: collected, shown when a start fails). */
  readonly onStderr?: (service: ServiceName, text: string) => void;
  readonly startTimeoutMs?: number;
}

export interface ServiceProcess {
  readonly name: ServiceName;
  readonly pid: number | undefined;
  readonly running: boolean;
  /** Resident set size in bytes (from /proc), or undefined when not running. */
  rss(): number | undefined;
  /** CPU time (user + system) used so far, in ms (from /proc), or undefined when not running. */
  cpuMs(): number | undefined;
}

export interface ProcessCluster {
  readonly processes: ReadonlyMap<ServiceName, ServiceProcess>;
  /** Starts the service's process; `env` adds to the cluster's environment for this start only. */
  start(name: ServiceName, env?: Readonly<Record<string, string>>): Promise<void>;
  /** Sends a signal and waits for the process to exit. */
  kill(name: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  /** Resolves when the process exits by itself (e.g. a fault hook killed it). */
  exited(name: ServiceName): Promise<void>;
  /** SIGTERM every process (graceful drain) and wait; SIGKILL after `graceMs`. */
  stopAll(graceMs?: number): Promise<void>;
}

function rssOf(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 10 ms on Linux). */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

export function createProcessCluster(options: ProcessClusterOptions): ProcessCluster {
  const children = new Map<ServiceName, { child: ChildProcess; exit: Promise<void> }>();
  const processes = new Map<ServiceName, ServiceProcess>();

  function describe(name: ServiceName): ServiceProcess {
    return {
      name,
      get pid() {
        return children.get(name)?.child.pid;
      },
      get running() {
        const c = children.get(name)?.child;
        return !!c && c.exitCode === null && c.signalCode === null;
      },
      rss: () => {
        const c = children.get(name)?.child;
        return c && c.exitCode === null && c.signalCode === null ? rssOf(c.pid) : undefined;
      },
      cpuMs: () => {
        const c = children.get(name)?.child;
        return c && c.exitCode === null && c.signalCode === null ? cpuMsOf(c.pid) : undefined;
      },
    };
  }

  async function start(name: ServiceName, env: Readonly<Record<string, string>> = {}): Promise<void> {
    const existing = children.get(name)?.child;
    if (existing && existing.exitCode === null && existing.signalCode === null)
      throw new Error(`${name} is already running`);
    const args = [
      // The services import eventkit's own entry points (eventkit/outbox) from src/ in the checkout.
      '--conditions=eventkit-source',
      '--import',
      'tsx',
      RUN_SCRIPT,
      '--service',
      name,
      '--nats-url',
      options.natsUrl,
      '--data-dir',
      options.dataRoot,
    ];
    if (name === 'stores' && options.seedFile) args.push('--seed', options.seedFile);
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...options.env, ...options.envOf?.(name), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    children.set(name, { child, exit });
    if (!processes.has(name)) processes.set(name, describe(name));
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stderr = (stderr + text).slice(-4000);
      options.onStderr?.(name, text);
    });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () =>
          reject(new Error(`${name} did not start within ${options.startTimeoutMs ?? 60_000} ms: ${stderr}`)),
        options.startTimeoutMs ?? 60_000,
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('"ready"')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited during start (code ${code}, signal ${signal}): ${stderr.trim()}`));
      });
    });
  }

  async function kill(name: ServiceName, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const entry = children.get(name);
    if (!entry) return;
    const { child, exit } = entry;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exit;
  }

  return {
    processes,
    start,
    kill,
    exited: async (name) => {
      await children.get(name)?.exit;
    },
    async stopAll(graceMs = 20_000) {
      await Promise.all(
        [...children.keys()].map(async (name) => {
          const entry = children.get(name);
          if (!entry || entry.child.exitCode !== null || entry.child.signalCode !== null) return;
          const timer = setTimeout(() => entry.child.kill('SIGKILL'), graceMs);
          await kill(name, 'SIGTERM');
          clearTimeout(timer);
        }),
      );
    },
  };
}
