// `eventkit codegen` over the reference system: the committed code is up to date (the CI drift check),
// a fresh copy of the project generates byte-identical code that type-checks, --check fails on drift,
// and a spec the registry rejects writes nothing.
import { existsSync } from 'node:fs';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { runCodegen } from '../../src/codegen/index.ts';
import { readTree } from '../../src/codegen/output-tree.ts';
import { loadConfig, loadRegistry } from '../../src/model/index.ts';
import { repoRoot, scratchProject, typeCheck } from './support/project.ts';

const services = ['inventory', 'notifications', 'orders', 'payments', 'stores'];

/** Runs the CLI in-process, capturing stdout and stderr. */
async function eventkit(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** Every generated file of the project, keyed `<service>/<file>`. */
async function generatedTrees(root: string): Promise<Map<string, Buffer>> {
  const all = new Map<string, Buffer>();
  for (const service of services) {
    for (const [file, content] of await readTree(path.join(root, 'src/reference', service, 'generated'))) {
      all.set(`${service}/${file}`, content);
    }
  }
  return all;
}

let scratch: string;

beforeAll(async () => {
  scratch = await scratchProject('codegen-reference');
  await cp(path.join(repoRoot, 'asyncapi'), path.join(scratch, 'asyncapi'), { recursive: true });
  await cp(path.join(repoRoot, 'contracts/proto'), path.join(scratch, 'contracts/proto'), {
    recursive: true,
  });
  await cp(path.join(repoRoot, 'eventkit.config.json'), path.join(scratch, 'eventkit.config.json'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('eventkit codegen on the reference system', () => {
  it('finds the committed generated code up to date (drift check)', async () => {
    const { config } = await loadConfig(repoRoot);
    const { registry } = await loadRegistry(config);
    const result = await runCodegen(registry, { check: true });
    expect(result.stale).toEqual([]);
    expect(result.written).toEqual([]);
    expect(result.services.map((service) => service.service)).toEqual(services);
  });

  it('generates byte-identical code in a fresh copy, which type-checks, and a second run changes nothing', async () => {
    const first = await eventkit('-C', scratch, 'codegen');
    expect(first.stderr).toContain('codegen: 5 services');
    expect(first.code).toBe(0);
    const generated = await generatedTrees(scratch);
    const committed = await generatedTrees(repoRoot);
    expect([...generated.keys()].sort()).toEqual([...committed.keys()].sort());
    for (const [file, content] of generated)
      expect(content.equals(committed.get(file) as Buffer), file).toBe(true);

    const second = await eventkit('-C', scratch, 'codegen', '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ ok: true, written: [] });

    const checked = await typeCheck(scratch, ['src/reference/*/generated/**/*.ts']);
    expect(checked.output).toBe('');
    expect(checked.ok).toBe(true);
  });

  it('--service limits the run, and an unknown service is a usage error', async () => {
    const only = await eventkit(
      '-C',
      scratch,
      'codegen',
      '--json',
      '--service',
      'orders',
      'stores',
      '--emit-input',
      'inputs',
    );
    expect(only.code).toBe(0);
    const report = JSON.parse(only.stdout) as { services: { service: string; files: number }[] };
    expect(report.services.map((service) => service.service)).toEqual(['orders', 'stores']);
    expect((await readdir(path.join(scratch, 'inputs'))).sort()).toEqual([
      'orders.input.json',
      'stores.input.json',
    ]);
    const input = JSON.parse(await readFile(path.join(scratch, 'inputs/orders.input.json'), 'utf8'));
    expect(input).toMatchObject({
      version: 2,
      service: { id: 'orders', documentFile: 'asyncapi/orders.yaml' },
    });
    const unknown = await eventkit('-C', scratch, 'codegen', '--service', 'shipping');
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain(
      'unknown service "shipping" (known: inventory, notifications, orders, payments, stores)',
    );
  });

  it('--check exits 1 and lists a stale file without touching it', async () => {
    const file = path.join(scratch, 'src/reference/payments/generated/events.ts');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace("kind: 'event'", "kind: 'command'"));
    const result = await eventkit('-C', scratch, 'codegen', '--check', '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; stale: string[] };
    expect(report.ok).toBe(false);
    expect(report.stale).toEqual(['src/reference/payments/generated/events.ts']);
    expect(stripVTControlCharacters(result.stderr)).toContain(
      'stale src/reference/payments/generated/events.ts',
    );
    expect(await readFile(file, 'utf8')).not.toBe(original);
    expect((await eventkit('-C', scratch, 'codegen')).code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(original);
    // Rendered in memory: no scratch folder, and no staging folder left beside the output.
    expect(existsSync(path.join(scratch, '.eventkit')), 'no scratch folder').toBe(false);
    expect(
      (await readdir(path.join(scratch, 'src/reference/payments'))).filter((name) =>
        name.includes('generated.'),
      ),
    ).toEqual([]);
  });

  it('writes nothing when the registry rejects a spec (exit 2 with the diagnostics)', async () => {
    const before = await generatedTrees(scratch);
    const spec = path.join(scratch, 'asyncapi/payments.yaml');
    const text = await readFile(spec, 'utf8');
    expect(text).toContain('payments.v1.PaymentApproved');
    await writeFile(spec, text.replaceAll('payments.v1.PaymentApproved', 'payments.v1.PaymentApprovedTypo'));
    // A changed spec would change the output: make sure the bad run is not a no-op by construction.
    await rm(path.join(scratch, 'src/reference/stores/generated/index.ts'));
    const result = await eventkit('-C', scratch, 'codegen');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/asyncapi\/payments\.yaml:\d+:\d+ .*error/);
    expect(result.stderr).toContain('nothing was written');
    const after = await generatedTrees(scratch);
    expect([...after.keys()].sort()).toEqual(
      [...before.keys()].filter((file) => file !== 'stores/index.ts').sort(),
    );
    for (const [file, content] of after) expect(content.equals(before.get(file) as Buffer), file).toBe(true);
    for (const service of services) {
      const folder = await readdir(path.join(scratch, 'src/reference', service));
      expect(folder, `no staging folders left in src/reference/${service}`).toEqual(['generated']);
    }
    await writeFile(spec, text);
  });
});
