// The `eventkit` CLI shell, run for real (bin/eventkit.mjs in a child process): help, usage errors,
// exit codes, --version, -C, and that every reporting command's --json on this repository parses.
// `verify --json` is left out: it runs the Pact verifier over every pact (~20 s; test/contracts covers it).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { type NatsServer, startNatsServer } from '../../src/runtime/index.ts';
import { type CliRun, pool, repoRoot, runCli } from './run-cli.ts';

/** Every command with the long options its --help must mention. */
const commandOptions: Record<string, readonly string[]> = {
  lint: ['--json', '--timing', '--summary', '--no-buf'],
  breaking: ['--against', '--history', '--json', '--breaking-only'],
  codegen: ['--check', '--json', '--service', '--emit-input'],
  verify: ['--version', '--provider', '--providers', '--no-record', '--verbose', '--json'],
  'can-i-deploy': ['--pacticipant', '--version', '--json'],
  contracts: ['--json'],
  catalog: ['--out', '--serve', '--port', '--json'],
  provision: ['--dry-run', '--prune', '--json', '--server'],
  monitor: ['--server', '--duration', '--from-start', '--json'],
  rollout: ['--against', '--version', '--json'],
};

const stackFrame = /^\s+at .+:\d+:\d+\)?$/m;

function parseJson(run: CliRun): unknown {
  try {
    return JSON.parse(run.stdout);
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.code}):\n${run.stdout.slice(0, 500)}\n${run.stderr}`);
  }
}

describe('eventkit --help', () => {
  const names = Object.keys(commandOptions);
  let helps: Map<string, CliRun>;

  beforeAll(async () => {
    const runs = await pool(names, 2, (name) => runCli([name, '--help']));
    helps = new Map(names.map((name, i) => [name, runs[i] as CliRun]));
  });

  it('lists every command, with examples and the exit codes', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const name of names) expect(run.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('--version');
    expect(run.stdout).toMatch(/64 usage/);
  });

  it.each(names)('%s --help exits 0 and mentions its options and examples', (name) => {
    const run = helps.get(name) as CliRun;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Usage: eventkit ${name}`);
    for (const option of commandOptions[name] ?? []) expect(run.stdout).toContain(option);
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain(`$ eventkit ${name}`);
    expect(run.stdout).toMatch(/Exit codes:/);
  });

  it('verify --help names the real default provider globs (spelled out there to keep --help light)', async () => {
    const { defaultProviderGlobs } = await import('../../src/contracts/provider-loader.ts');
    const help = (helps.get('verify') as CliRun).stdout.replace(/\s+/g, ' ');
    for (const glob of defaultProviderGlobs) expect(help).toContain(glob);
  });

  it('`help <command>` is the same as `<command> --help`', async () => {
    const run = await runCli(['help', 'provision']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(helps.get('provision')?.stdout);
  });
});

describe('eventkit usage errors and exit codes', () => {
  it('--version and -V print package.json’s version', async () => {
    const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    const runs = await pool([['--version'], ['-V'], ['-C', repoRoot, '--version']], 2, (args) =>
      runCli(args),
    );
    for (const run of runs) expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('a command’s own --version <v> is not taken for the program’s --version', async () => {
    const run = await runCli(['can-i-deploy', '--pacticipant', 'orders', '--version']);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain("option '--version <version>' argument missing");
  });

  it('an unknown command exits 64 with a one-line hint and no stack trace', async () => {
    const run = await runCli(['lnit']);
    expect(run.code).toBe(64);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("unknown command 'lnit'");
    expect(run.stderr).toContain("Run 'eventkit --help' for usage.");
    expect(run.stderr).not.toMatch(stackFrame);
  });

  it('a bad option exits 64 and points at the command’s help', async () => {
    const run = await runCli(['lint', '--jsno']);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain("unknown option '--jsno'");
    expect(run.stderr).toContain("Run 'eventkit lint --help' for usage.");
    expect(run.stderr).toContain('(Did you mean --json?)');
    expect(run.stderr.trim().split('\n')).toHaveLength(3);
    expect(run.stderr).not.toMatch(stackFrame);
  });

  it('a missing required option exits 64', async () => {
    const run = await runCli(['breaking', '--json']);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain("required option '--against <ref|dir>' not specified");
    expect(run.stderr).toContain("Run 'eventkit breaking --help' for usage.");
  });

  it('no command at all exits 64 and shows the usage', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('Usage: eventkit [options] [command]');
  });

  it('-C to a missing folder exits 2 with one clear line, for any command', async () => {
    const missing = path.join(tmpdir(), 'eventkit-cli-test-no-such-folder');
    const runs = await pool(['lint', 'contracts'], 2, (name) => runCli(['-C', missing, name, '--json']));
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `eventkit: project folder ${missing} does not exist or is not a folder; pass an existing folder with -C / --cwd\n`,
      );
    }
  });

  it('every command that reads the project exits 2 on a folder without documents', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'eventkit-cli-empty-'));
    try {
      const commands = [
        ['lint', '--no-buf', '--json'],
        ['contracts', '--json'],
        ['codegen', '--check', '--json'],
        ['catalog', '--out', path.join(empty, 'site'), '--json'],
        ['can-i-deploy', '--pacticipant', 'orders', '--version', '1.0.0', '--json'],
        ['breaking', '--against', 'HEAD', '--json'],
      ];
      const runs = await pool(commands, 2, (args) => runCli(['-C', empty, ...args]));
      for (const [i, run] of runs.entries()) {
        expect(run.code, `${commands[i]?.join(' ')}: ${run.stderr}`).toBe(2);
        expect(run.stderr).not.toMatch(stackFrame);
      }
      expect(existsSync(path.join(empty, 'site'))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  describe('an unexpected exception', () => {
    const boom = (program: import('commander').Command): void => {
      program.command('boom').action(() => {
        throw new TypeError('cannot read properties of undefined');
      });
    };

    async function runBoom(debug: string | undefined): Promise<{ code: number; stderr: string }> {
      const written: string[] = [];
      const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
      vi.stubEnv('EVENTKIT_DEBUG', debug ?? '');
      try {
        const code = await main(['-C', repoRoot, 'boom'], { commands: [boom] });
        return { code, stderr: written.join('') };
      } finally {
        spy.mockRestore();
        vi.unstubAllEnvs();
      }
    }

    it('exits 70 with a one-line message and no stack trace', async () => {
      const { code, stderr } = await runBoom(undefined);
      expect(code).toBe(70);
      expect(stderr).toBe(
        'eventkit: internal error: cannot read properties of undefined (a bug in eventkit; set EVENTKIT_DEBUG=1 for the stack trace)\n',
      );
    });

    it('prints the stack trace with EVENTKIT_DEBUG=1', async () => {
      const { code, stderr } = await runBoom('1');
      expect(code).toBe(70);
      expect(stderr).toContain('TypeError: cannot read properties of undefined');
      expect(stderr).toMatch(stackFrame);
    });
  });
});

describe('--json on this repository', () => {
  // The working tree is shared and moving: findings (1) are fine, what matters is machine-readable output
  // and never bad input, usage or internal errors.
  const scratch = mkdtempSync(path.join(tmpdir(), 'eventkit-cli-json-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const cases: { name: string; args: string[]; shape: (json: Record<string, unknown>) => void }[] = [
    {
      name: 'lint',
      args: ['lint', '--no-buf', '--json'],
      shape: (json) => {
        expect(Array.isArray(json.diagnostics)).toBe(true);
        expect(json.summary).toMatchObject({ services: expect.any(Number), events: expect.any(Number) });
      },
    },
    {
      name: 'contracts',
      args: ['contracts', '--json'],
      shape: (json) => {
        expect(json.pacts).toEqual(expect.any(Number));
        expect(json.coverage).toMatchObject({ covered: expect.any(Number), total: expect.any(Number) });
        expect(Array.isArray(json.diagnostics)).toBe(true);
      },
    },
    {
      name: 'can-i-deploy',
      args: ['can-i-deploy', '--pacticipant', 'orders', '--version', 'cli-test-never-verified', '--json'],
      shape: (json) => {
        expect(json).toMatchObject({ pacticipant: 'orders', deployable: false });
      },
    },
    {
      name: 'codegen --check',
      args: ['codegen', '--check', '--json'],
      shape: (json) => {
        expect(json).toMatchObject({ check: true, ok: expect.any(Boolean) });
        expect((json.services as unknown[]).length).toBeGreaterThan(0);
      },
    },
    {
      name: 'breaking',
      args: ['breaking', '--against', 'HEAD', '--json'],
      shape: (json) => {
        expect(json.compatible).toEqual(expect.any(Boolean));
        expect(Array.isArray(json.changes)).toBe(true);
      },
    },
    {
      name: 'catalog',
      args: ['catalog', '--out', path.join(scratch, 'site'), '--json'],
      shape: (json) => {
        expect(json).toMatchObject({ outDir: path.join(scratch, 'site'), pages: expect.any(Number) });
        expect(readFileSync(path.join(scratch, 'site', 'index.html'), 'utf8')).toContain('<html');
      },
    },
  ];
  let runs: CliRun[];

  beforeAll(async () => {
    runs = await pool(cases, 2, (c) => runCli(c.args));
  }, 180_000);

  it.each(cases.map((c, i) => [c.name, i] as const))('%s --json emits parseable JSON', (_name, i) => {
    const run = runs[i] as CliRun;
    const c = cases[i] as (typeof cases)[number];
    expect([0, 1], run.stderr).toContain(run.code);
    c.shape(parseJson(run) as Record<string, unknown>);
  });
});

describe('provision --json against a real nats-server', () => {
  let server: NatsServer;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  interface ProvisionJson {
    server: string;
    dryRun: boolean;
    changes: { resource: string; name: string; plan: string; outcome?: string }[];
  }

  it('plans with --dry-run, applies, and a second run finds no drift', async () => {
    const dry = await runCli(['provision', '--server', server.url, '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = parseJson(dry) as ProvisionJson;
    expect(plan).toMatchObject({ server: server.url, dryRun: true });
    expect(plan.changes.length).toBeGreaterThan(0);
    expect(plan.changes.every((c) => c.plan === 'create')).toBe(true);
    expect(plan.changes.some((c) => c.resource === 'stream')).toBe(true);
    expect(plan.changes.some((c) => c.resource === 'consumer')).toBe(true);

    const applied = parseJson(await runCli(['provision', '--server', server.url, '--json'])) as ProvisionJson;
    expect(applied.dryRun).toBe(false);
    expect(applied.changes.map((c) => [c.name, c.outcome])).toEqual(
      plan.changes.map((c) => [c.name, 'created']),
    );

    const again = await runCli(['provision', '--server', server.url, '--json']);
    expect(again.code, again.stderr).toBe(0);
    const second = parseJson(again) as ProvisionJson;
    expect(second.changes.map((c) => c.name)).toEqual(plan.changes.map((c) => c.name));
    expect(second.changes.every((c) => c.plan === 'unchanged')).toBe(true);
  });
});
