// The contract machinery end to end over the small fixture world (sellers → buyers): consumer pact through
// the real codec and handler, provider verification of the real command (and of a broken producer),
// cross-check against the registry, the results matrix and can-i-deploy.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canIDeploy,
  createMessagePact,
  crossCheck,
  emptyMatrix,
  formatVerification,
  isContractsError,
  type LoadedPact,
  readPactDir,
  readPactFile,
  readResults,
  recordVerifications,
  verifyPact,
  writeResults,
} from '../../src/contracts/index.ts';
import { runBuyersContract } from './fixtures/buyers-consumer.ts';
import { Buyers, ItemListedV1, marketplaceRegistry } from './fixtures/marketplace.ts';
import { sellersProvider } from './fixtures/sellers-provider.ts';

let root: string;
let pactDir: string;
let pact: LoadedPact;
let buyers: Buyers;
// One producer world for the file: PGlite takes seconds to start on a busy machine; reset() truncates.
const sellers = sellersProvider();
const brokenSellers = sellersProvider({ broken: true });

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'eventkit-contracts-'));
  pactDir = path.join(root, 'contracts/pacts');
  buyers = await Buyers.open();
});
afterAll(async () => {
  await Promise.all([buyers.close(), sellers.close?.(), brokenSellers.close?.()]);
  await rm(root, { recursive: true, force: true });
});

describe('consumer side', () => {
  it('pushes each pact message through the real codec into the real handler', async () => {
    const run = await runBuyersContract(pactDir, root, { buyers });
    expect(run.effects).toEqual([
      { itemId: 'itm_7', title: 'Watering can', price_minor: '1299', currency: 'EUR' },
      { itemId: 'itm_7', title: 'Watering can', price_minor: '1299', currency: 'EUR' },
    ]);
    pact = await readPactFile(run.pact.file, root);
    expect(pact.file).toBe('contracts/pacts/buyers-sellers.json');
    expect(pact.pact.interactions.map((i) => i.description)).toEqual([
      'a tagged item was listed',
      'an item was listed',
    ]);
    const tagged = pact.pact.interactions[0];
    expect(tagged?.providerStates).toEqual([
      { name: 'the seller tags new items', params: { tags: ['garden'] } },
    ]);
    expect(tagged?.metadata).toEqual({
      subject: 'sellers.item-listed.v1.itm_7',
      'ce-type': 'sellers.v1.ItemListed',
      'content-type': 'application/protobuf',
    });
    expect(tagged?.matchingRules?.metadata?.subject?.matchers[0]?.regex).toBe(
      '^sellers\\.item-listed\\.v1\\.[^.*>\\s]+$',
    );
  });

  it('writes byte-identical pact files on a re-run', async () => {
    const before = await readFile(pact.absolutePath, 'utf8');
    await runBuyersContract(pactDir, root, { buyers });
    expect(await readFile(pact.absolutePath, 'utf8')).toBe(before);
  });
});

describe('a failing consumer test', () => {
  it('leaves the committed pact untouched instead of writing it without the failed interaction', async () => {
    const before = await readFile(pact.absolutePath, 'utf8');
    const failing = await createMessagePact({ consumer: 'buyers', provider: 'sellers', dir: pactDir });
    const body = { itemId: 'itm_7' };
    await failing.expects(
      {
        description: 'an item was listed',
        event: ItemListedV1,
        body,
        subject: 'sellers.item-listed.v1.itm_7',
      },
      async () => undefined,
    );
    await expect(
      failing.expects(
        {
          description: 'a tagged item was listed',
          event: ItemListedV1,
          body,
          subject: 'sellers.item-listed.v1.itm_7',
        },
        async () => {
          throw new Error('the handler broke');
        },
      ),
    ).rejects.toThrow('the handler broke');
    await failing.finalize(root);
    expect(await readFile(pact.absolutePath, 'utf8')).toBe(before);
  });
});

describe('provider side', () => {
  it('verifies every interaction against the real producer command', async () => {
    const result = await verifyPact(pact, sellers, { providerVersion: 'v1' });
    expect(result.interactions.map((i) => [i.description, i.success, i.failures])).toEqual([
      ['a tagged item was listed', true, []],
      ['an item was listed', true, []],
    ]);
    expect(result.success).toBe(true);
  });

  it('fails a producer that drops a field the consumer uses, naming consumer, interaction, field and why', async () => {
    const result = await verifyPact(pact, brokenSellers, { providerVersion: 'v2-broken' });
    expect(result.success).toBe(false);
    const failed = result.interactions.find((i) => i.description === 'an item was listed');
    expect(failed?.failures).toContainEqual({
      field: '$.price',
      message: 'the provider no longer sends $.price, which the consumer relies on',
    });
    const report = formatVerification(result.interactions);
    expect(report).toContain('✗ sellers → buyers: an item was listed  (contracts/pacts/buyers-sellers.json:');
    expect(report).toContain(
      '    $.price: the provider no longer sends $.price, which the consumer relies on',
    );
  });

  it('fails a producer that publishes on a renamed subject, at metadata.subject', async () => {
    const renamed = sellersProvider({ renamedSubject: true });
    const result = await verifyPact(pact, renamed, { providerVersion: 'v3' }).finally(() =>
      renamed.close?.(),
    );
    const failure = result.interactions.find((i) => i.description === 'an item was listed')?.failures[0];
    expect(failure?.field).toBe('metadata.subject');
    expect(failure?.message).toContain(
      "Expected 'sellers.item-published.v1.itm_7' to match '^sellers\\.item-listed\\.v1\\.[^.*>\\s]+$'",
    );
  });

  it('fails an interaction whose provider state the producer does not know', async () => {
    const withoutStates = { ...sellers, states: {} };
    const result = await verifyPact(pact, withoutStates, { providerVersion: 'v1' });
    const tagged = result.interactions.find((i) => i.description === 'a tagged item was listed');
    expect(tagged?.success).toBe(false);
    expect(tagged?.failures[0]?.message).toBe(
      'the producer failed: sellers does not know the provider state "the seller tags new items"',
    );
    expect(result.interactions.find((i) => i.description === 'an item was listed')?.success).toBe(true);
  });
});

describe('cross-check against the spec', () => {
  it('passes when every interaction is a send/receive pair of the spec', () => {
    const result = crossCheck(marketplaceRegistry(), [pact]);
    expect(result.diagnostics).toEqual([]);
    expect(result.interactions).toBe(2);
    expect(result.coverage).toEqual({ covered: 1, total: 1 });
  });

  it('fails a consumer expecting a field the spec lacks, at the field line of the pact', async () => {
    // The spec dropped `title`; the committed pact still expects it.
    const result = crossCheck(marketplaceRegistry({ withoutField: 'title' }), [pact]);
    const unknown = result.diagnostics.filter((d) => d.ruleId === 'contract-unknown-field');
    expect(unknown.map((d) => d.message)).toEqual([
      'buyers ← sellers "a tagged item was listed": the consumer expects $.title, which sellers.v1.ItemListed does not have',
      'buyers ← sellers "an item was listed": the consumer expects $.title, which sellers.v1.ItemListed does not have',
    ]);
    const text = await readFile(pact.absolutePath, 'utf8');
    for (const diagnostic of unknown) {
      expect(diagnostic.location?.file).toBe('contracts/pacts/buyers-sellers.json');
      expect(text.split('\n')[(diagnostic.location?.line ?? 0) - 1]).toContain('"title"');
    }
  });

  it('fails a renamed subject', () => {
    const registry = marketplaceRegistry({ subjectPattern: 'sellers.item-published.v1.{itemId}' });
    const subjects = crossCheck(registry, [pact]).diagnostics.filter((d) =>
      d.ruleId.startsWith('contract-subject'),
    );
    expect(subjects.map((d) => d.message)).toContain(
      'buyers ← sellers "an item was listed": subject sellers.item-listed.v1.itm_7 does not match the channel address sellers.item-published.v1.{itemId}',
    );
    expect(subjects.every((d) => d.location?.file === 'contracts/pacts/buyers-sellers.json')).toBe(true);
  });

  it('reports interactions no longer in the spec and received events without a contract', () => {
    const gone = crossCheck(marketplaceRegistry({ buyersReceives: false }), [pact]).diagnostics;
    expect(gone.filter((d) => d.ruleId === 'contract-not-received')).toHaveLength(2);
    const uncovered = crossCheck(marketplaceRegistry(), []);
    expect(uncovered.coverage).toEqual({ covered: 0, total: 1 });
    expect(uncovered.diagnostics).toEqual([
      expect.objectContaining({
        ruleId: 'contract-missing',
        location: { file: 'asyncapi/buyers.yaml', line: 22, column: 1 },
      }),
    ]);
  });
});

describe('results matrix and can-i-deploy', () => {
  it('answers yes for verified versions and no after a failed verification', async () => {
    const file = path.join(root, 'contracts/verification-results.json');
    const good = await verifyPact(pact, sellers, { providerVersion: 'abc' });
    let matrix = recordVerifications(emptyMatrix, [good], { providerVersion: 'abc', consumerVersion: 'abc' });
    await writeResults(file, matrix);
    matrix = await readResults(file, root);
    expect(canIDeploy(matrix, 'sellers', 'abc')).toMatchObject({ deployable: true });
    expect(canIDeploy(matrix, 'buyers', 'abc')).toMatchObject({ deployable: true });
    expect(canIDeploy(matrix, 'buyers', 'def')).toMatchObject({ deployable: false });

    const bad = await verifyPact(pact, brokenSellers, { providerVersion: 'def' });
    matrix = recordVerifications(matrix, [bad], { providerVersion: 'def', consumerVersion: 'def' });
    const answer = canIDeploy(matrix, 'sellers', 'def');
    expect(answer.deployable).toBe(false);
    expect(answer.integrations).toEqual([
      expect.objectContaining({
        consumer: 'buyers',
        provider: 'sellers',
        status: 'failed',
        interactions: 2,
        failed: 2,
      }),
    ]);
    expect(matrix.verifications.find((v) => v.providerVersion === 'def')?.failures).toContainEqual({
      description: 'an item was listed',
      field: '$.price',
      message: 'the provider no longer sends $.price, which the consumer relies on',
    });
  });

  it('rejects an unknown pacticipant', () => {
    expect(() => canIDeploy(emptyMatrix, 'nobody', 'abc', ['buyers', 'sellers'])).toThrow(
      /unknown pacticipant "nobody"/,
    );
  });

  it('names the file and line of an unreadable results file', async () => {
    const file = path.join(root, 'broken-results.json');
    await writeFile(file, '{\n  "schemaVersion": 1,\n  "pacts": [\n');
    const error = await readResults(file, root).catch((e: unknown) => e);
    expect(isContractsError(error) && error.code).toBe('results-malformed');
    expect(isContractsError(error) && error.file).toBe('broken-results.json');
  });
});

describe('malformed pacts', () => {
  it('names the file and line of a pact that is not JSON or not a message pact', async () => {
    const dir = path.join(root, 'bad-pacts');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'a-b.json'), '{\n  "consumer": {"name": "a"},\n  "provider": \n');
    await writeFile(
      path.join(dir, 'c-d.json'),
      JSON.stringify(
        {
          consumer: { name: 'c' },
          provider: { name: 'd' },
          interactions: [{ type: 'Synchronous/HTTP', description: 'x' }],
        },
        null,
        2,
      ),
    );
    const { pacts, errors } = await readPactDir(dir, root);
    expect(pacts).toEqual([]);
    expect(errors.map((e) => [e.file, e.code, e.line])).toEqual([
      ['bad-pacts/a-b.json', 'pact-malformed', 4],
      ['bad-pacts/c-d.json', 'pact-malformed', 10],
    ]);
    expect(errors[1]?.message).toContain('"Synchronous/HTTP"');
  });
});
