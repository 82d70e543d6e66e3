// One component message referenced by two channels (`lights.turn.on.{lightId}` and
// `lights.turn.off.{lightId}`), each with its own send and receive operation: every (operation, channel)
// pair keeps its own address in the registry, lint, codegen, provisioning, the catalog and `breaking`.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCodegen } from '../../src/codegen/index.ts';
import { lint, loadRegistry } from '../../src/model/index.ts';
import type { LoadResult } from '../../src/model/types.ts';
import { provisioningSpec } from '../../src/runtime/provisioning.ts';
import { runCli } from '../cli/run-cli.ts';
import { load, scratchCopy } from './support.ts';

let root: string;
let result: LoadResult;

beforeAll(async () => {
  root = await scratchCopy('lights-two-channels');
  result = await load(root);
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a message on two channels', () => {
  it('keeps both channels in the registry, with the operations of each', () => {
    expect(result.diagnostics).toEqual([]);
    const [event] = result.registry.events;
    expect(result.registry.events).toHaveLength(1);
    expect(event?.type).toBe('dashboard.v1.TurnOnOff');
    expect(event?.channels.map((c) => [c.address, c.subjectFilter, c.operations])).toEqual([
      ['lights.turn.off.{lightId}', 'lights.turn.off.>', ['dashboard.turnOff', 'streetlight.onTurnOff']],
      ['lights.turn.on.{lightId}', 'lights.turn.on.>', ['dashboard.turnOn', 'streetlight.onTurnOn']],
    ]);
    for (const channel of event?.channels ?? [])
      expect(channel.location?.file).toBe('asyncapi/dashboard.yaml');
    expect(result.registry.streams.map((s) => [s.name, s.subjects])).toEqual([
      ['DASHBOARD', ['lights.turn.off.>', 'lights.turn.on.>']],
    ]);
  });

  it('gives each receive operation its own durable and filter (provisioning reads the same names)', async () => {
    const ops = result.registry.operations.filter((o) => o.service === 'streetlight');
    expect(ops.map((o) => [o.operationId, o.channelAddress, o.durable])).toEqual([
      ['onTurnOff', 'lights.turn.off.{lightId}', 'streetlight--turn-on-off-v1'],
      ['onTurnOn', 'lights.turn.on.{lightId}', 'streetlight--turn-on-off-v1--on-turn-on'],
    ]);
    const spec = provisioningSpec(result.registry);
    expect(spec.consumers.map((c) => [c.operation, c.spec.durable, c.spec.filterSubject])).toEqual([
      ['streetlight.onTurnOff', 'streetlight--turn-on-off-v1', 'lights.turn.off.>'],
      ['streetlight.onTurnOn', 'streetlight--turn-on-off-v1--on-turn-on', 'lights.turn.on.>'],
    ]);
    expect(await lint(result, { buf: false })).toEqual([]);
  });

  it('lints both addresses (with the subject conventions on, each channel gets its own finding)', async () => {
    const strict = await loadRegistry({
      ...result.registry.config,
      conventions: { subjects: true, cloudEvents: false },
    });
    const findings = (await lint(strict, { buf: false })).filter((d) => d.ruleId === 'subject-convention');
    expect(findings.map((d) => d.message.split(' ')[1])).toEqual(
      expect.arrayContaining(['lights.turn.off.{lightId}', 'lights.turn.on.{lightId}']),
    );
    expect(new Set(findings.map((d) => d.location?.line)).size).toBeGreaterThanOrEqual(2);
  });

  it('generates publish methods that publish to their own operation address', async () => {
    await runCodegen(result.registry);
    const generated = path.join(root, 'src/reference/dashboard/generated/index.ts');
    const mod = (await import(generated)) as {
      dashboardEnvelopes: Record<string, (payload: unknown) => { subject: string }>;
    };
    const payload = { lightId: 'lamp-7', sentAt: '2024-03-01T18:00:00Z' };
    expect(mod.dashboardEnvelopes.turnOn?.(payload).subject).toBe('lights.turn.on.lamp-7');
    expect(mod.dashboardEnvelopes.turnOff?.(payload).subject).toBe('lights.turn.off.lamp-7');
    const handlers = await readFile(
      path.join(root, 'src/reference/streetlight/generated/handlers.ts'),
      'utf8',
    );
    expect(handlers).toContain("durable: 'streetlight--turn-on-off-v1--on-turn-on'");
    expect(handlers).toContain('from `lights.turn.on.>`');
    expect(handlers).toContain('from `lights.turn.off.>`');
  }, 120_000);

  it('shows both subjects in the catalog', async () => {
    const out = path.join(root, 'site');
    const run = await runCli(['-C', root, 'catalog', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const page = await readFile(path.join(out, 'events/dashboard.v1.TurnOnOff.html'), 'utf8');
    const text = page.replace(/<[^>]+>/g, '');
    expect(text).toContain('lights.turn.on.{lightId}');
    expect(text).toContain('lights.turn.off.{lightId}');
  }, 180_000);

  it('`breaking` flags a renamed address of either channel', async () => {
    const base = await scratchCopy('lights-two-channels');
    try {
      for (const [from, to] of [
        ['lights.turn.on.{lightId}', 'lights.switch.on.{lightId}'],
        ['lights.turn.off.{lightId}', 'lights.switch.off.{lightId}'],
      ] as const) {
        const head = await scratchCopy('lights-two-channels');
        try {
          for (const file of ['dashboard.yaml', 'streetlight.yaml']) {
            const doc = path.join(head, 'asyncapi', file);
            await writeFile(doc, (await readFile(doc, 'utf8')).replaceAll(from, to));
          }
          const run = await runCli(['-C', head, 'breaking', '--against', base, '--json']);
          expect(run.code, run.stderr).toBe(1);
          const report = JSON.parse(run.stdout) as { changes: { ruleId: string; message: string }[] };
          const change = report.changes.find((c) => c.ruleId === 'channel-address-changed');
          expect(change?.message).toContain(`\`${from}\` → \`${to}\``);
        } finally {
          await rm(head, { recursive: true, force: true });
        }
      }
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  }, 180_000);
});
