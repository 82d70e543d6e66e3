// Documents for Kafka, AMQP, MQTT and WebSocket servers: no JetStream meaning (no streams, no durables, no
// stream rules, never "request/reply"), lint checks the spec itself, the catalog uses the protocol's own
// words, and codegen emits payload types and examples only, saying so.
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCodegen } from '../../src/codegen/index.ts';
import { lint } from '../../src/model/index.ts';
import { provisioningSpec } from '../../src/runtime/provisioning.ts';
import { runCli } from '../cli/run-cli.ts';
import { load, scratchCopy } from './support.ts';

const temp: string[] = [];
afterAll(async () => {
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

const cases = [
  { name: 'kafka-orders', protocol: 'kafka', word: 'topic', event: 'order-service.v1.OrderCreated' },
  { name: 'amqp-billing', protocol: 'amqp', word: 'queue', event: 'billing.v1.InvoiceIssued' },
  { name: 'mqtt-sensors', protocol: 'mqtt', word: 'topic', event: 'sensors.v1.TemperatureMeasured' },
  { name: 'ws-chat', protocol: 'wss', word: 'channel', event: 'chat.v1.MessagePosted' },
] as const;

describe.each(cases)('$protocol documents ($name)', ({ name, protocol, word, event }) => {
  let root = '';
  const ready = (async () => {
    root = await scratchCopy(name);
    temp.push(root);
    return load(root);
  })();

  it('get no streams and no durables, and lint clean with the conventions on', async () => {
    const result = await ready;
    expect(result.diagnostics).toEqual([]);
    expect(result.registry.config.conventions).toEqual({ subjects: true, cloudEvents: true });
    expect(result.registry.streams).toEqual([]);
    expect(result.registry.events.every((e) => e.stream === undefined)).toBe(true);
    expect(result.registry.operations.filter((o) => o.durable || o.consumer)).toEqual([]);
    expect(provisioningSpec(result.registry, { deadLetter: false })).toMatchObject({
      streams: [],
      consumers: [],
    });
    expect(await lint(result, { buf: false })).toEqual([]);
  });

  it('generate payload types and examples only, and say so', async () => {
    const result = await ready;
    await runCodegen(result.registry);
    for (const service of result.registry.services) {
      const dir = path.join(root, 'src/reference', service.id, 'generated');
      const files = (await readdir(dir)).sort();
      expect(files).not.toContain('publisher.ts');
      expect(files).not.toContain('handlers.ts');
      expect(files).toContain('events.ts');
      expect(files).toContain('types');
      const index = await readFile(path.join(dir, 'index.ts'), 'utf8');
      expect(index).toContain('payload types, codecs and examples only');
      const events = await readFile(path.join(dir, 'events.ts'), 'utf8');
      expect(events).not.toContain('request/reply');
      expect(events).toContain(`${word} \``);
    }
    const cli = await runCli(['-C', root, 'codegen', '--check']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stderr).toContain(`payload types and examples only (${protocol}`);
  }, 120_000);

  it("show the protocol's own words in the catalog", async () => {
    await ready;
    const out = path.join(root, 'site');
    const run = await runCli(['-C', root, 'catalog', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const page = (await readFile(path.join(out, `events/${event}.html`), 'utf8')).replace(/<[^>]+>/g, ' ');
    expect(page).not.toContain('request/reply');
    expect(page).toMatch(new RegExp(`${word.charAt(0).toUpperCase()}${word.slice(1)}\\s`));
    expect(page).toContain(`${word}, not a JetStream stream`);
  }, 180_000);
});
