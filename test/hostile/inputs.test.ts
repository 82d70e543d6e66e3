// Hostile input that used to end in a stack trace, an internal error (exit 70) or a false green (issue #13).
// Each named example has its own test; they run through the CLI's main() in this process unless a real
// process is the point (a closed pipe).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  changedPaths,
  projectsOfThisFile,
  repoRoot,
  runMain,
  runShell,
  snapshot,
  stackTrace,
} from './support.ts';

const project = projectsOfThisFile();

const edit = (root: string, file: string, change: (text: string) => string) =>
  writeFileSync(path.join(root, file), change(readFileSync(path.join(root, file), 'utf8')));

describe('stack traces', () => {
  it('`eventkit lint --help | head -2` ends quietly when the reader closes the pipe', async () => {
    const run = await runShell('$EVENTKIT lint --help | head -2');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('Usage: eventkit lint [options]');
    expect(run.stderr).toBe('');
  }, 60_000);

  it('a YAML !!binary value is a yaml-syntax error at its line, with no trace', async () => {
    const root = project();
    edit(root, 'asyncapi/shop.yaml', (t) =>
      t.replace('description: The order id.', 'description: !!binary aGVsbG8='),
    );
    const run = await runMain(['-C', root, 'lint', '--no-buf', '--json']);
    expect([1, 2]).toContain(run.code);
    expect(run.stdout + run.stderr).not.toMatch(stackTrace);
    const { diagnostics } = JSON.parse(run.stdout) as {
      diagnostics: { ruleId: string; message: string; location?: { file: string; line: number } }[];
    };
    const binary = diagnostics.find((d) => d.message.includes('!!binary'));
    expect(binary?.location).toMatchObject({ file: 'asyncapi/shop.yaml', line: 11 });
    for (const d of diagnostics) expect(d.message).not.toMatch(/\n\s+at /);
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'])(
    'a channel and a message keyed %s behave like any other key',
    async (key) => {
      const root = project();
      for (const file of ['asyncapi/shop.yaml', 'asyncapi/billing.yaml'])
        edit(root, file, (t) => t.replaceAll('orderPlacedV1', key).replaceAll('OrderPlacedV1', key));
      const run = await runMain(['-C', root, 'lint', '--no-buf', '--json']);
      expect(run.stdout + run.stderr).not.toMatch(stackTrace);
      expect(run.code, run.stdout).toBe(0);
      const codegen = await runMain(['-C', root, 'contracts', '--json']);
      expect(codegen.stdout + codegen.stderr).not.toMatch(stackTrace);
    },
    60_000,
  );

  it('a pact nested 100,000 levels deep is malformed input at its line, not a stack overflow', async () => {
    const root = project();
    mkdirSync(path.join(root, 'contracts/pacts'), { recursive: true });
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    writeFileSync(
      path.join(root, 'contracts/pacts/billing-shop.json'),
      `{\n  "consumer": {"name": "billing"},\n  "provider": {"name": "shop"},\n  "interactions": [\n    ${deep}\n  ]\n}\n`,
    );
    for (const args of [['contracts'], ['verify', '--version', 'v1']]) {
      const before = snapshot(root);
      const run = await runMain(['-C', root, ...args]);
      expect(run.code, `${args[0]}: ${run.stderr}`).toBe(2);
      expect(run.stdout + run.stderr).toContain('contracts/pacts/billing-shop.json:5');
      expect(run.stdout + run.stderr).toMatch(/deeper than 200 levels.*EVENTKIT_MAX_DEPTH/);
      expect(run.stdout + run.stderr).not.toMatch(stackTrace);
      expect(changedPaths(before, snapshot(root))).toEqual([]);
    }
  }, 60_000);

  it('a provider module that throws on import is named in a one-line error (exit 2)', async () => {
    const root = project({
      'providers/shop.provider.ts': "throw new Error('database URL missing');\nexport {};\n",
      'contracts/pacts/billing-shop.json': readFileSync(
        path.join(repoRoot, 'test/hostile/fixtures/billing-shop.json'),
        'utf8',
      ),
    });
    const run = await runMain([
      '-C',
      root,
      'verify',
      '--version',
      'v1',
      '--providers',
      'providers/*.provider.ts',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('provider contract module providers/shop.provider.ts failed to load');
    expect(run.stderr).not.toMatch(stackTrace);
  }, 60_000);
});

describe('gates never pass on a mistake', () => {
  it('an unknown command with --help is exit 64, not the main help', async () => {
    const run = await runMain(['no-such-command-ever', '--help']);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain("unknown command 'no-such-command-ever'");
    expect(run.stdout).toBe('');
  });

  it("provision --server '' is a usage error, not the default server", async () => {
    const run = await runMain(['-C', project(), 'provision', '--server', '']);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('--server is empty');
  });

  describe('verify filters that match nothing', () => {
    const withPact = () =>
      project({
        'contracts/pacts/billing-shop.json': readFileSync(
          path.join(repoRoot, 'test/hostile/fixtures/billing-shop.json'),
          'utf8',
        ),
        'contracts/verification-results.json': '{"schemaVersion":1,"pacts":[],"verifications":[]}\n',
      });

    it('--provider nope: exit 2, results untouched', async () => {
      const root = withPact();
      const before = snapshot(root);
      const run = await runMain(['-C', root, 'verify', '--version', 'v1', '--provider', 'nope']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('no pact in contracts/pacts names "nope" as its provider');
      expect(changedPaths(before, snapshot(root))).toEqual([]);
    });

    it("--providers 'nope/*.ts': exit 2, no failed rows in the matrix", async () => {
      const root = withPact();
      const before = snapshot(root);
      const run = await runMain(['-C', root, 'verify', '--version', 'v1', '--providers', 'nope/*.ts']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('no provider contract module matches "nope/*.ts"');
      expect(changedPaths(before, snapshot(root))).toEqual([]);
    });
  });

  describe('pacts that are not messages are never recorded verified', () => {
    const pactWith = (change: (pact: Record<string, unknown>) => void) => {
      const pact = JSON.parse(
        readFileSync(path.join(repoRoot, 'test/hostile/fixtures/billing-shop.json'), 'utf8'),
      ) as Record<string, unknown>;
      change(pact);
      return project({
        'contracts/pacts/billing-shop.json': `${JSON.stringify(pact, null, 2)}\n`,
        'contracts/verification-results.json': '{"schemaVersion":1,"pacts":[],"verifications":[]}\n',
      });
    };
    const interaction = (pact: Record<string, unknown>) =>
      (pact.interactions as Record<string, Record<string, unknown>>[])[0] as Record<
        string,
        Record<string, unknown>
      >;

    it.each([
      [
        'contents.content: null',
        (p: Record<string, unknown>) => {
          (interaction(p).contents as Record<string, unknown>).content = null;
        },
        /"contents.content": null/,
      ],
      [
        'a numeric metadata.subject',
        (p: Record<string, unknown>) => {
          (interaction(p).metadata as Record<string, unknown>).subject = 42;
        },
        /number "metadata.subject"/,
      ],
      [
        'pactSpecification 1.0.0',
        (p: Record<string, unknown>) => {
          p.metadata = { pactSpecification: { version: '1.0.0' } };
        },
        /pact specification "1.0.0" is not supported/,
      ],
    ])(
      '%s: verify and contracts both reject it (exit 2), nothing written',
      async (_name, change, message) => {
        const root = pactWith(change);
        for (const args of [['contracts'], ['verify', '--version', 'v1']]) {
          const before = snapshot(root);
          const run = await runMain(['-C', root, ...args]);
          expect(run.code, `${args[0]}: ${run.stdout}${run.stderr}`).toBe(2);
          expect(run.stdout + run.stderr).toMatch(message);
          expect(run.stdout + run.stderr).toMatch(/contracts\/pacts\/billing-shop\.json:\d+/);
          expect(changedPaths(before, snapshot(root))).toEqual([]);
        }
      },
    );
  });
});
