// The contract commands on bad input: a diagnostic naming the file and the problem, exit code 2, and the
// verification results file left exactly as it was. Plus can-i-deploy's yes/no answers from a matrix.
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { repoRoot } from './support/consumer-pacts.ts';

let project: string;
const resultsText = `${JSON.stringify(
  {
    pacts: [
      {
        consumer: 'payments',
        consumerVersion: 'v1',
        provider: 'orders',
        pactSha256: 'aaa',
        file: 'contracts/pacts/payments-orders.json',
        interactions: 2,
      },
      {
        consumer: 'payments',
        consumerVersion: 'v2',
        provider: 'orders',
        pactSha256: 'bbb',
        file: 'contracts/pacts/payments-orders.json',
        interactions: 2,
      },
    ],
    schemaVersion: 1,
    verifications: [
      {
        consumer: 'payments',
        consumerVersion: 'v1',
        failed: 0,
        failures: [],
        interactions: 2,
        pactSha256: 'aaa',
        provider: 'orders',
        providerVersion: 'v1',
        success: true,
      },
      {
        consumer: 'payments',
        consumerVersion: 'v2',
        failed: 1,
        failures: [
          {
            description: 'an order was placed',
            field: '$.total',
            message: 'the provider no longer sends $.total',
          },
        ],
        interactions: 2,
        pactSha256: 'bbb',
        provider: 'orders',
        providerVersion: 'v2',
        success: false,
      },
    ],
  },
  null,
  2,
)}\n`;

beforeAll(async () => {
  project = await mkdtemp(path.join(tmpdir(), 'eventkit-cli-contracts-'));
  await cp(path.join(repoRoot, 'eventkit.config.json'), path.join(project, 'eventkit.config.json'));
  await symlink(path.join(repoRoot, 'asyncapi'), path.join(project, 'asyncapi'));
  await mkdir(path.join(project, 'contracts/pacts'), { recursive: true });
  await symlink(path.join(repoRoot, 'contracts/proto'), path.join(project, 'contracts/proto'));
  // The provider contract modules the config names (contracts.providers).
  await mkdir(path.join(project, 'test/contracts'), { recursive: true });
  await symlink(
    path.join(repoRoot, 'test/contracts/providers'),
    path.join(project, 'test/contracts/providers'),
  );
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});
beforeEach(async () => {
  await rm(path.join(project, 'contracts/pacts'), { recursive: true, force: true });
  await mkdir(path.join(project, 'contracts/pacts'), { recursive: true });
  await cp(
    path.join(repoRoot, 'contracts/pacts/payments-orders.json'),
    path.join(project, 'contracts/pacts/payments-orders.json'),
  );
  await writeFile(path.join(project, 'contracts/verification-results.json'), resultsText);
});

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(['-C', project, ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const results = () => readFile(path.join(project, 'contracts/verification-results.json'), 'utf8');
const pactFile = (name: string) => path.join(project, 'contracts/pacts', name);

describe('can-i-deploy', () => {
  it('answers yes (exit 0) for a verified version and no (exit 1) for a failed one, with a table', async () => {
    const yes = await run('can-i-deploy', '--pacticipant', 'payments', '--version', 'v1');
    expect(yes.code).toBe(0);
    expect(yes.stdout).toContain('CONSUMER  C.VERSION  PROVIDER  P.VERSION  STATUS    INTERACTIONS');
    expect(yes.stdout).toContain('payments  v1         orders    v1         verified  2/2');
    expect(yes.stdout).toContain('can-i-deploy payments@v1: yes');
    const no = await run('can-i-deploy', '--pacticipant', 'orders', '--version', 'v2', '--json');
    expect(no.code).toBe(1);
    expect(JSON.parse(no.stdout)).toMatchObject({
      deployable: false,
      integrations: [{ status: 'failed', failed: 1 }],
    });
  });

  it('exits 2 on an unknown pacticipant', async () => {
    const answer = await run('can-i-deploy', '--pacticipant', 'shipping', '--version', 'v1');
    expect(answer.code).toBe(2);
    expect(answer.stderr).toContain(
      'unknown pacticipant "shipping" (known: inventory, notifications, orders, payments, stores)',
    );
  });

  it('exits 2 naming the file and line of an unreadable results file, and leaves it unchanged', async () => {
    const broken = '{\n  "schemaVersion": 1,\n  "pacts": [ { "consumer": "payments" }\n';
    await writeFile(path.join(project, 'contracts/verification-results.json'), broken);
    const answer = await run('can-i-deploy', '--pacticipant', 'payments', '--version', 'v1');
    expect(answer.code).toBe(2);
    expect(answer.stderr).toMatch(
      /can-i-deploy: contracts\/verification-results\.json:\d+: verification results are not valid JSON/,
    );
    expect(await results()).toBe(broken);
  });
});

describe('eventkit contracts (cross-check)', () => {
  it('warns once for a pact whose participant the spec does not know, naming file and line', async () => {
    const text = (await readFile(pactFile('payments-orders.json'), 'utf8')).replace(
      '"name": "payments"',
      '"name": "billing"',
    );
    await writeFile(pactFile('billing-orders.json'), text);
    const answer = await run('contracts');
    expect(answer.code).not.toBe(2);
    const lines = answer.stdout.split('\n').filter((l) => l.includes('billing-orders.json'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /contracts\/pacts\/billing-orders\.json:3:1 warning pact consumer "billing" is not a service in the AsyncAPI documents/,
    );
    await rm(pactFile('billing-orders.json'));
  });

  it('exits 2 on a malformed pact, naming the file and line', async () => {
    await writeFile(
      pactFile('stores-orders.json'),
      JSON.stringify({ consumer: { name: 'stores' }, provider: { name: 'orders' } }, null, 2),
    );
    const answer = await run('contracts');
    expect(answer.code).toBe(2);
    expect(answer.stdout).toContain(
      'contracts/pacts/stores-orders.json:1:1 error missing "interactions" array',
    );
  });

  it('reports received events without a contract (exit 1) when only one pact exists', async () => {
    const answer = await run('contracts', '--json');
    expect(answer.code).toBe(1);
    const output = JSON.parse(answer.stdout) as {
      coverage: { covered: number; total: number };
      diagnostics: { ruleId: string }[];
    };
    expect(output.coverage.covered).toBe(2);
    expect(output.diagnostics.every((d) => d.ruleId === 'contract-missing')).toBe(true);
  });
});

describe('eventkit verify on bad input', () => {
  it('exits 2 on a malformed pact file, naming it, and leaves the results unchanged', async () => {
    await writeFile(
      pactFile('inventory-orders.json'),
      '{ "consumer": { "name": "inventory" },\n  "provider": {"name": "orders"},\n  "interactions": [ {} ',
    );
    const answer = await run('verify', '--version', 'v3');
    expect(answer.code).toBe(2);
    expect(answer.stderr).toMatch(
      /contracts\/pacts\/inventory-orders\.json:3:1 error pact file is not valid JSON/,
    );
    expect(answer.stderr).toContain('the results file is unchanged');
    expect(await results()).toBe(resultsText);
  });

  it('exits 2 on a pact for an event the spec does not know, and leaves the results unchanged', async () => {
    const text = (await readFile(pactFile('payments-orders.json'), 'utf8')).replaceAll(
      /orders\.v\d\.OrderPlaced/g,
      'orders.v1.OrderSubmitted',
    );
    await writeFile(pactFile('payments-orders.json'), text);
    const answer = await run('verify', '--version', 'v3', '--json');
    expect(answer.code).toBe(2);
    const output = JSON.parse(answer.stdout) as {
      status: string;
      diagnostics: { ruleId: string; message: string; location: { file: string } }[];
    };
    expect(output.status).toBe('bad-input');
    expect(output.diagnostics).toEqual([
      expect.objectContaining({
        ruleId: 'contract-unknown-event',
        message:
          'payments ← orders "an order was placed": event type "orders.v1.OrderSubmitted" is not in the AsyncAPI documents',
        location: expect.objectContaining({ file: 'contracts/pacts/payments-orders.json' }),
      }),
    ]);
    expect(await results()).toBe(resultsText);
  });

  it('warns once for a pact whose participant the spec does not know and verifies the other pacts', async () => {
    const text = (await readFile(pactFile('payments-orders.json'), 'utf8')).replace(
      '"name": "orders"',
      '"name": "billing"',
    );
    await writeFile(pactFile('payments-orders.json'), text);
    const answer = await run('verify', '--version', 'v3', '--json');
    expect(answer.code, answer.stderr).toBe(0);
    expect(answer.stderr).toMatch(
      /contracts\/pacts\/payments-orders\.json:\d+:1 warning pact provider "billing" is not a service in the AsyncAPI documents/,
    );
    const report = JSON.parse(answer.stdout) as { verifications: { file: string }[] };
    expect(report.verifications.map((v) => v.file)).not.toContain('contracts/pacts/payments-orders.json');
  });

  it('exits 2 on an unreadable results file and does not overwrite it', async () => {
    await writeFile(
      path.join(project, 'contracts/verification-results.json'),
      '{"schemaVersion": 7, "pacts": [], "verifications": []}\n',
    );
    const answer = await run('verify', '--version', 'v3');
    expect(answer.code).toBe(2);
    expect(answer.stderr).toContain(
      'contracts/verification-results.json:1:1 error unsupported schemaVersion 7 (expected 1)',
    );
    expect(await results()).toBe('{"schemaVersion": 7, "pacts": [], "verifications": []}\n');
  });
});
