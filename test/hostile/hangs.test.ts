// Inputs that used to hang a command (issue #13): each must now end with a clear message and a
// non-zero exit. Cases that could hang run as real processes with a kill timeout: a hang fails the test.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/model/config.ts';
import { changedPaths, projectsOfThisFile, runMain, runProcess, snapshot, stackTrace } from './support.ts';

const project = projectsOfThisFile();

/** The mini shop's shop.yaml with `extra` schemas and a message whose payload is `payloadRef`. */
function shopWithSchemas(extra: string, payloadRef: string, root = project()): string {
  const file = path.join(root, 'asyncapi/shop.yaml');
  const text = readFileSync(file, 'utf8')
    .replace('components:\n  messages:', `components:\n  schemas:\n${extra}\n  messages:`)
    .replace(
      '    OrderPlacedV1:\n',
      `    Loop:\n      payload:\n        $ref: '${payloadRef}'\n    OrderPlacedV1:\n`,
    );
  writeFileSync(file, text);
  return root;
}

describe('circular $ref', () => {
  const twoStep = `    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'`;

  it.each([
    ['lint', ['lint', '--no-buf']],
    ['codegen', ['codegen', '--check']],
    ['catalog', ['catalog', '--out', 'site']],
    ['contracts', ['contracts']],
  ])(
    'A → B → A: %s reports the cycle with file:line instead of hanging',
    async (_name, args) => {
      const root = shopWithSchemas(twoStep, '#/components/schemas/A');
      const run = await runProcess(['-C', root, ...args], { timeoutMs: 90_000 });
      expect(run.timedOut).toBe(false);
      expect([1, 2]).toContain(run.code);
      expect(run.stdout + run.stderr).toMatch(
        /circular \$ref: asyncapi\/shop\.yaml:\d+ #\/components\/schemas\/(A|B) → asyncapi\/shop\.yaml:\d+ #\/components\/schemas\/(A|B) → /,
      );
      expect(run.stderr).not.toMatch(stackTrace);
    },
    120_000,
  );

  it('breaking reports the cycle of the head', async () => {
    const base = project();
    const root = shopWithSchemas(twoStep, '#/components/schemas/A');
    const run = await runProcess(['-C', root, 'breaking', '--against', base], { timeoutMs: 90_000 });
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toContain('circular $ref');
  }, 120_000);

  it('a cycle across two files names both files and lines', async () => {
    const root = shopWithSchemas(
      `    A:\n      $ref: './loop.yaml#/B'`,
      '#/components/schemas/A',
      project({ 'asyncapi/loop.yaml': "B:\n  $ref: './shop.yaml#/components/schemas/A'\n" }),
    );
    writeFileSync(
      path.join(root, 'eventkit.config.json'),
      JSON.stringify({
        asyncapi: ['asyncapi/shop.yaml', 'asyncapi/billing.yaml'],
        protoRoots: ['proto'],
        bufLint: false,
      }),
    );
    const run = await runProcess(['-C', root, 'lint', '--no-buf', '--json'], { timeoutMs: 90_000 });
    expect(run.timedOut).toBe(false);
    const { diagnostics } = JSON.parse(run.stdout) as {
      diagnostics: { ruleId: string; message: string; location: { file: string; line: number } }[];
    };
    const cycle = diagnostics.find((d) => d.ruleId === 'ref-cycle');
    expect(cycle?.message).toMatch(
      /asyncapi\/shop\.yaml:\d+ #\/components\/schemas\/A → asyncapi\/loop\.yaml:1 #\/B → /,
    );
    expect(cycle?.location.file).toBe('asyncapi/shop.yaml');
  }, 120_000);

  it('a $ref to itself is a cycle; a recursive schema (a property that refers back) is not', async () => {
    const self = shopWithSchemas(`    A:\n      $ref: '#/components/schemas/A'`, '#/components/schemas/A');
    const selfRun = await runMain(['-C', self, 'lint', '--no-buf', '--json']);
    expect(selfRun.stdout).toContain('"ref-cycle"');
    const recursive = shopWithSchemas(
      `    Node:\n      type: object\n      properties:\n        next:\n          $ref: '#/components/schemas/Node'`,
      '#/components/schemas/Node',
    );
    const recursiveRun = await runMain(['-C', recursive, 'lint', '--no-buf', '--json']);
    expect(recursiveRun.stdout).not.toContain('"ref-cycle"');
  }, 120_000);
});

describe('document globs', () => {
  it('a symlink loop under ** is not followed', async () => {
    const root = project({
      'eventkit.config.json': JSON.stringify({
        asyncapi: ['asyncapi/**/*.yaml'],
        protoRoots: ['proto'],
        bufLint: false,
      }),
    });
    mkdirSync(path.join(root, 'asyncapi/sub'));
    symlinkSync('..', path.join(root, 'asyncapi/sub/loop'));
    symlinkSync('.', path.join(root, 'asyncapi/self'));
    const run = await runProcess(['-C', root, 'lint', '--no-buf'], { timeoutMs: 90_000 });
    expect(run.timedOut).toBe(false);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('2 services');
  }, 120_000);

  it('a FIFO matched by the document glob is reported, never opened', async () => {
    const root = project();
    execFileSync('mkfifo', [path.join(root, 'asyncapi/pipe.yaml')]);
    const run = await runProcess(['-C', root, 'lint', '--no-buf'], { timeoutMs: 90_000 });
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('asyncapi/pipe.yaml:1:1');
    expect(run.stdout).toContain('is a named pipe (FIFO), not a regular file');
  }, 120_000);
});

describe('a config with 200,000 rule keys', () => {
  it('is read in linear time (the duplicate-key check compared every key with every other)', async () => {
    const root = project();
    const rules = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`rule-${i}`, 'off']));
    writeFileSync(
      path.join(root, 'eventkit.config.json'),
      JSON.stringify(
        { asyncapi: ['asyncapi/*.yaml'], protoRoots: ['proto'], bufLint: false, rules },
        null,
        1,
      ),
    );
    const { diagnostics, config } = await loadConfig(root);
    expect(diagnostics).toEqual([]);
    expect(Object.keys(config.rules)).toHaveLength(200_000);
    // One bad setting among them is still located by line (positions are computed only when needed).
    rules['rule-199999'] = 'loud';
    writeFileSync(
      path.join(root, 'eventkit.config.json'),
      JSON.stringify(
        { asyncapi: ['asyncapi/*.yaml'], protoRoots: ['proto'], bufLint: false, rules },
        null,
        1,
      ),
    );
    const bad = await loadConfig(root);
    expect(bad.diagnostics.map((d) => `${d.location?.file}:${d.location?.line}`)).toEqual([
      'eventkit.config.json:200009',
    ]);
  }, 120_000);
});

describe('provision against a server that accepts and never answers', () => {
  it('times out, exits 69 naming the address, and hides the password', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const root = project();
      const run = await runProcess(
        ['-C', root, 'provision', '--server', `nats://alice:s3cret-pw@127.0.0.1:${port}`],
        { timeoutMs: 60_000 },
      );
      expect(run.timedOut).toBe(false);
      expect(run.code).toBe(69);
      expect(run.stderr).toContain(`nats://alice:***@127.0.0.1:${port}`);
      expect(run.stdout + run.stderr).not.toContain('s3cret-pw');
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  }, 90_000);
});

describe('verify with a 50 MB pact', () => {
  it('refuses it by size before reading: exit 2, the limit and how to raise it, results untouched', async () => {
    const root = project();
    mkdirSync(path.join(root, 'contracts/pacts'), { recursive: true });
    writeFileSync(
      path.join(root, 'contracts/verification-results.json'),
      '{"schemaVersion":1,"pacts":[],"verifications":[]}\n',
    );
    const big = `{"consumer":{"name":"billing"},"provider":{"name":"shop"},"interactions":[],"padding":"${'x'.repeat(50 * 1024 * 1024)}"}`;
    writeFileSync(path.join(root, 'contracts/pacts/billing-shop.json'), big);
    const before = snapshot(root);
    const run = await runMain(['-C', root, 'verify', '--version', 'v1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('contracts/pacts/billing-shop.json');
    expect(run.stderr).toMatch(/over the 16 MB limit .*EVENTKIT_MAX_FILE_MB/);
    expect(changedPaths(before, snapshot(root))).toEqual([]);
  }, 120_000);
});

describe('catalog --serve --port ""', () => {
  it('is a usage error (exit 64), not a random port', async () => {
    const root = project();
    const run = await runMain(['-C', root, 'catalog', '--serve', '--port', '']);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('--port must be a number from 0 to 65535');
  });
});
