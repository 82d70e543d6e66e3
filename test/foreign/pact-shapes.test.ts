// Pacts from the Pact ecosystem: pact-js V3 message pacts (`messages[]`), pact-jvm V3, V4 asynchronous
// interactions without CloudEvents metadata. The event is matched by subject/channel, then description, then
// body schema, and the diagnostic says which rule matched or what to add; a pact about participants that
// are not services here is one warning, the others are still checked.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePactText } from '../../src/contracts/pact-file.ts';
import { runCli } from '../cli/run-cli.ts';
import { corpusDir, scratchCopy } from './support.ts';

interface Report {
  diagnostics: {
    ruleId: string;
    severity: string;
    message: string;
    hint?: string;
    location?: { file: string; line: number };
  }[];
}

const temp: string[] = [];
afterAll(async () => {
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

describe('pacts written by pact-js and pact-jvm', () => {
  it('reads a V3 message pact as interactions, with lines in the file as written', async () => {
    const file = path.join(corpusDir, 'pact-shapes/contracts/pacts/billing-orders.json');
    const pact = parsePactText(await readFile(file, 'utf8'), 'billing-orders.json');
    expect(pact.pact.interactions.map((i) => [i.type, i.description, i.contents.content])).toEqual([
      ['Asynchronous/Messages', 'an order placed message', { orderId: 'ord-1', total: 12.5 }],
      [
        'Asynchronous/Messages',
        'a cancellation',
        { orderId: 'ord-1', reason: 'customer changed their mind' },
      ],
    ]);
    expect(pact.pact.interactions[1]?.metadata.topic).toBe('orders.cancelled.ord-1');
    expect(pact.interactionLine(1)).toBe(12);
    expect(pact.interactionLine(1, 'metadata')).toBe(15);
  });

  it('matches each interaction to its event and says by which rule; strangers get one warning', async () => {
    const run = await runCli(['-C', path.join(corpusDir, 'pact-shapes'), 'contracts', '--json']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    const matched = report.diagnostics.filter((d) => d.ruleId === 'contract-matched').map((d) => d.message);
    expect(matched).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"an order placed message": matched to orders.v1.OrderPlaced by description'),
        expect.stringContaining('"a cancellation": matched to orders.v1.OrderCancelled by subject'),
        expect.stringContaining(
          '"a message the consumer needs": matched to orders.v1.OrderCancelled by body-schema',
        ),
      ]),
    );
    const strangers = report.diagnostics.filter((d) => d.ruleId === 'contract-unknown-pacticipant');
    expect(strangers).toHaveLength(1);
    expect(strangers[0]).toMatchObject({
      severity: 'warning',
      location: { file: 'contracts/pacts/shipping-orders.json' },
    });
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('says what to add when nothing tells which event an interaction is about', async () => {
    const root = await scratchCopy('pact-shapes');
    temp.push(root);
    const file = path.join(root, 'contracts/pacts/billing-orders-v4.json');
    const pact = JSON.parse(await readFile(file, 'utf8')) as {
      interactions: { contents: { content: unknown }; description: string }[];
    };
    const [interaction] = pact.interactions;
    if (!interaction) throw new Error('fixture has no interaction');
    interaction.description = 'something happened';
    interaction.contents.content = { orderId: 'ord-3' };
    await writeFile(file, JSON.stringify(pact, null, 2));
    const run = await runCli(['-C', root, 'contracts', '--json']);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as Report;
    const unknown = report.diagnostics.find((d) => d.ruleId === 'contract-unknown-event');
    expect(unknown?.message).toContain('cannot tell which event it is about');
    expect(unknown?.hint).toContain('add metadata "ce-type"');
    expect(unknown?.location).toMatchObject({ file: 'contracts/pacts/billing-orders-v4.json' });
  });

  it('refuses a V4 pact that mixes HTTP and message interactions, saying why and how to split it', async () => {
    const run = await runCli(['-C', path.join(corpusDir, 'pact-v4-kafka-plain'), 'contracts', '--json']);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as Report;
    const refused = report.diagnostics.find(
      (d) => d.location?.file === 'contracts/pacts/search-catalogue.json',
    );
    expect(refused).toMatchObject({ severity: 'error', location: { line: 28 } });
    expect(refused?.message).toContain('("a health check") is a "Synchronous/HTTP" interaction');
    expect(refused?.hint).toContain('pact of their own');
    expect(refused?.hint).not.toContain('npm run contracts');
  });
});
