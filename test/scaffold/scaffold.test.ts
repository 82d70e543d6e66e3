// `eventkit init` and `eventkit add event` from the outside: the real CLI on temp folders, then `lint` on
// the result (buf lint included), codegen with both import extensions, refusals that write nothing.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../cli/run-cli.ts';

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'eventkit-scaffold-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function readText(...parts: string[]): Promise<string> {
  return readFile(path.join(...parts), 'utf8');
}

describe('eventkit init', () => {
  it('scaffolds a project that lints clean, then refuses to overwrite it (exit 2, naming the file)', async () => {
    const dir = path.join(scratch, 'Billing-API');
    const init = await runCli(['init', dir, '--json']);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const result = JSON.parse(init.stdout) as { service: string; event: string; files: { path: string }[] };
    expect(result.service).toBe('billingapi');
    expect(result.event).toBe('billingapi.v1.ItemCreated');
    expect(result.files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        'eventkit.config.json',
        'contracts/proto/buf.yaml',
        'contracts/proto/billingapi/v1/events.proto',
        'asyncapi/billingapi.yaml',
        'package.json',
        '.gitignore',
        'tsconfig.json',
        'test/contracts/billingapi.provider.ts',
      ]),
    );
    const pkg = JSON.parse(await readText(dir, 'package.json')) as {
      type: string;
      scripts: Record<string, string>;
    };
    expect(pkg.type).toBe('module');
    for (const script of ['lint', 'codegen', 'verify', 'catalog', 'provision'])
      expect(pkg.scripts[script]).toMatch(/^eventkit /);

    const lint = await runCli(['-C', dir, 'lint', '--json']);
    expect(lint.code, lint.stderr).toBe(0);
    expect((JSON.parse(lint.stdout) as { diagnostics: unknown[] }).diagnostics).toEqual([]);

    const before = await readText(dir, 'asyncapi/billingapi.yaml');
    const again = await runCli(['init', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('eventkit.config.json exists');
    expect(await readText(dir, 'asyncapi/billingapi.yaml')).toBe(before);
  });

  it('merges scripts into an existing package.json and keeps the user’s own', async () => {
    const dir = path.join(scratch, 'existing');
    await mkdir(dir);
    await writeFile(
      path.join(dir, 'package.json'),
      JSON.stringify({
        name: 'existing',
        scripts: { lint: 'my-linter' },
        dependencies: { eventkit: '^0.1.0' },
      }),
    );
    const init = await runCli(['init', dir, '--service', 'ledger']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('kept your package.json script "lint"');
    const pkg = JSON.parse(await readText(dir, 'package.json')) as {
      type: string;
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
    };
    expect(pkg.scripts.lint).toBe('my-linter');
    expect(pkg.scripts.codegen).toBe('eventkit codegen');
    expect(pkg.type).toBe('module');
    expect(pkg.dependencies.eventkit).toBe('^0.1.0');
  });

  it('refuses a service id that cannot be a proto package (exit 2) and writes nothing', async () => {
    const dir = path.join(scratch, 'bad-id');
    const init = await runCli(['init', dir, '--service', 'Bad-Id']);
    expect(init.code).toBe(2);
    expect(init.stderr).toContain('"Bad-Id" is not a service id');
    await expect(readFile(path.join(dir, 'eventkit.config.json'))).rejects.toThrow();
  });
});

describe('eventkit add event', () => {
  it('adds proto message, channel, operations and message to a project written elsewhere, keeping its comments', async () => {
    // The reference shop's contracts, as a user's repository: its documents carry comments and long descriptions.
    const dir = path.join(scratch, 'shop');
    await mkdir(dir);
    for (const part of ['asyncapi', 'contracts/proto', 'eventkit.config.json'])
      await cp(path.join(repoRoot, part), path.join(dir, part), { recursive: true });
    const added = await runCli(['-C', dir, 'add', 'event', 'orders.v1.OrderArchived', '--receive', '--json']);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({
      type: 'orders.v1.OrderArchived',
      service: 'orders',
      subject: 'orders.order-archived.v1.{orderId}',
      stream: 'ORDERS',
      durable: 'orders--order-archived-v1',
    });
    const document = await readText(dir, 'asyncapi/orders.yaml');
    const original = await readText(repoRoot, 'asyncapi/orders.yaml');
    for (const comment of original.split('\n').filter((line) => line.trimStart().startsWith('#')))
      expect(document).toContain(comment.trim());
    expect(document).toContain('address: orders.order-archived.v1.{orderId}');
    expect(await readText(dir, 'contracts/proto/orders/v1/events.proto')).toMatch(
      /message OrderArchived \{[\s\S]*?string order_id = 1;/,
    );
    const lint = await runCli(['-C', dir, 'lint', '--json']);
    expect(lint.code, lint.stderr).toBe(0);
    const diagnostics = (JSON.parse(lint.stdout) as { diagnostics: { severity: string; message: string }[] })
      .diagnostics;
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);

    const duplicate = await runCli(['-C', dir, 'add', 'event', 'orders.v1.OrderArchived']);
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain('already defines');
    expect(await readText(dir, 'asyncapi/orders.yaml')).toBe(document);

    const unknown = await runCli(['-C', dir, 'add', 'event', 'billing.v1.InvoiceIssued']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no service document owns context "billing"');
    const malformed = await runCli(['-C', dir, 'add', 'event', 'orders.OrderArchived']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('expected <context>.v<N>.<Name>');
  });
});

describe('codegen.importExtension', () => {
  it('generates .js imports by default and .ts imports when the config says so', async () => {
    const dir = path.join(scratch, 'extensions');
    const init = await runCli(['init', dir, '--service', 'lab']);
    expect(init.code, init.stderr).toBe(0);
    const js = await runCli(['-C', dir, 'codegen']);
    expect(js.code, js.stderr).toBe(0);
    const index = await readText(dir, 'src/lab/generated/index.ts');
    expect(index).toContain("export * from './events.js';");
    expect(index).not.toMatch(/from '\.[^']*\.ts'/);
    expect(await readText(dir, 'src/lab/generated/publisher.ts')).toContain("from 'eventkit/runtime';");

    const config = JSON.parse(await readText(dir, 'eventkit.config.json')) as Record<string, unknown>;
    await writeFile(
      path.join(dir, 'eventkit.config.json'),
      JSON.stringify({ ...config, codegen: { importExtension: '.ts' } }),
    );
    const stale = await runCli(['-C', dir, 'codegen', '--check']);
    expect(stale.code).toBe(1);
    const ts = await runCli(['-C', dir, 'codegen']);
    expect(ts.code, ts.stderr).toBe(0);
    expect(await readText(dir, 'src/lab/generated/index.ts')).toContain("export * from './events.ts';");

    await writeFile(
      path.join(dir, 'eventkit.config.json'),
      JSON.stringify({ ...config, codegen: { importExtension: 'js' } }),
    );
    const bad = await runCli(['-C', dir, 'lint']);
    expect(bad.code).toBe(2);
    expect(bad.stdout + bad.stderr).toContain('"codegen.importExtension" must be ".js" or ".ts"');
  });
});
