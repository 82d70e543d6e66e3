// Pact message contracts (which interactions touch a change) and `--against` sources (git refs, folders).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodyTouches,
  checkBreaking,
  interactionIsFor,
  isCompatError,
  loadPacts,
  materialise,
  type ProjectLoader,
  parsePact,
} from '../../src/compat/index.ts';
import type { Registry } from '../../src/model/types.ts';
import { event, registry, testConfig } from './registry-builder.ts';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'eventkit-compat-src-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const placed = event({
  type: 'orders.v1.OrderPlaced',
  producer: 'orders',
  consumers: ['payments'],
  field: 'orderId',
});

const v4Pact = {
  consumer: { name: 'payments' },
  provider: { name: 'orders' },
  interactions: [
    {
      type: 'Asynchronous/Messages',
      description: 'an order placed with lines',
      contents: {
        content: { orderId: 'o1', lines: [{ sku: 's', quantity: 1 }], tags: { gift: 'yes' } },
        contentType: 'application/json',
      },
      metadata: { 'ce-type': 'orders.v1.OrderPlaced', 'content-type': 'application/json' },
    },
    {
      type: 'Synchronous/HTTP',
      description: 'an http call',
      request: { method: 'GET', path: '/' },
    },
    {
      type: 'Asynchronous/Messages',
      description: 'a payment approved',
      contents: { content: '{"paymentId":"p1"}', contentType: 'application/json' },
      metadata: { subject: 'payments.payment-approved.v1.p1' },
    },
  ],
  metadata: { pactSpecification: { version: '4.0' } },
};

describe('pact interactions', () => {
  it('parses V4 message interactions (skipping HTTP) and V3 messages', () => {
    const v4 = parsePact(v4Pact, 'contracts/pacts/payments-orders.json');
    expect(v4.map((i) => i.description)).toEqual(['an order placed with lines', 'a payment approved']);
    expect(v4[1]?.body).toEqual({ paymentId: 'p1' });
    const v3 = parsePact(
      {
        consumer: { name: 'inventory' },
        provider: { name: 'orders' },
        messages: [{ description: 'OrderPlaced', contents: { orderId: 'x' }, metadata: {} }],
      },
      'x.json',
    );
    expect(v3).toMatchObject([{ consumer: 'inventory', body: { orderId: 'x' } }]);
  });

  it('matches interactions to events by ce-type, by subject, or by provider + description', () => {
    const [byType, bySubject] = parsePact(v4Pact, 'p.json');
    const approved = event({ type: 'payments.v1.PaymentApproved', producer: 'payments', field: 'paymentId' });
    expect(byType && interactionIsFor(byType, placed)).toBe(true);
    expect(byType && interactionIsFor(byType, approved)).toBe(false);
    expect(bySubject && interactionIsFor(bySubject, approved)).toBe(true);
    expect(bySubject && interactionIsFor(bySubject, placed)).toBe(false);
    const [v3] = parsePact(
      {
        consumer: { name: 'c' },
        provider: { name: 'orders' },
        messages: [{ description: 'an OrderPlaced', contents: {} }],
      },
      'x',
    );
    expect(v3 && interactionIsFor(v3, placed)).toBe(true);
  });

  it('a field is touched when the body carries it (arrays, maps, whole payload)', () => {
    const body = {
      orderId: 'o1',
      lines: [{ sku: 's' }, { sku: 't', quantity: 2 }],
      tags: { gift: { note: 'hi' } },
    };
    expect(bodyTouches(body, 'orderId')).toBe(true);
    expect(bodyTouches(body, 'customerId')).toBe(false);
    expect(bodyTouches(body, 'lines[].quantity')).toBe(true);
    expect(bodyTouches(body, 'lines[].price')).toBe(false);
    expect(bodyTouches(body, 'tags[].note')).toBe(true);
    expect(bodyTouches(body, 'tags.*.note')).toBe(true);
    expect(bodyTouches(body, '')).toBe(true);
  });

  it('loads pact files from a folder; a broken file is a warning, not a crash', async () => {
    const root = path.join(scratch, 'pacts');
    await mkdir(path.join(root, 'contracts/pacts'), { recursive: true });
    await writeFile(path.join(root, 'contracts/pacts/payments-orders.json'), JSON.stringify(v4Pact));
    await writeFile(path.join(root, 'contracts/pacts/broken.json'), '{ not json');
    await writeFile(path.join(root, 'contracts/pacts/nameless.json'), '{ "interactions": [] }');
    const { interactions, diagnostics } = await loadPacts(root, 'contracts/pacts');
    expect(interactions).toHaveLength(2);
    expect(diagnostics.map((d) => [d.ruleId, d.location?.file])).toEqual([
      ['pact-unreadable', 'contracts/pacts/broken.json'],
      ['pact-unreadable', 'contracts/pacts/nameless.json'],
    ]);
    expect(diagnostics[1]?.message).toContain('missing consumer.name or provider.name');
    expect(await loadPacts(root, 'no/such/folder')).toEqual({ interactions: [], diagnostics: [] });
  });
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@e.x',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@e.x',
    },
  });
}

/** A loader over `registry.json` files: lets the orchestration be tested without the AsyncAPI loader. */
const jsonLoader: ProjectLoader = async (root) => {
  const file = path.join(root, 'asyncapi', 'registry.json');
  const r = JSON.parse(await readFile(file, 'utf8')) as Registry;
  return { config: testConfig(root), registry: { ...r, config: testConfig(root) }, diagnostics: [] };
};

describe('--against sources', () => {
  let repo: string;
  beforeAll(async () => {
    repo = path.join(scratch, 'repo');
    const project = path.join(repo, 'shop');
    await mkdir(path.join(project, 'asyncapi'), { recursive: true });
    await mkdir(path.join(project, 'src'), { recursive: true });
    await writeFile(
      path.join(project, 'asyncapi', 'registry.json'),
      JSON.stringify(registry({ events: [placed] })),
    );
    await writeFile(path.join(project, 'src', 'big.txt'), 'not a contract');
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'v1');
    git(repo, 'tag', 'v1.0.0');
    const moved = event({
      type: 'orders.v1.OrderPlaced',
      producer: 'orders',
      consumers: ['payments'],
      subject: 'orders.placed.v1.{orderId}',
      field: 'orderId',
    });
    await writeFile(
      path.join(project, 'asyncapi', 'registry.json'),
      JSON.stringify(registry({ events: [moved] })),
    );
  });

  it('materialises only the contract paths of a ref, inside the project sub-folder, and cleans up', async () => {
    const source = await materialise('v1.0.0', {
      projectRoot: path.join(repo, 'shop'),
      paths: ['asyncapi', 'contracts/proto'],
    });
    expect(source.label).toMatch(/^git:v1\.0\.0@[0-9a-f]{7}$/);
    const text = await readFile(path.join(source.root, 'asyncapi', 'registry.json'), 'utf8');
    expect(text).toContain('orders.order-placed.v1.{orderId}');
    expect(existsSync(path.join(source.root, 'src', 'big.txt'))).toBe(false);
    await source.dispose();
    expect(existsSync(source.root)).toBe(false);
  });

  it('a folder is used as is', async () => {
    const source = await materialise(path.join(repo, 'shop'), { projectRoot: scratch, paths: [] });
    expect(source).toMatchObject({ root: path.join(repo, 'shop') });
  });

  it('an unknown ref or missing folder is bad input', async () => {
    const error = await materialise('no-such-branch', {
      projectRoot: path.join(repo, 'shop'),
      paths: ['asyncapi'],
    }).catch((e: unknown) => e);
    expect(isCompatError(error) && error.code).toBe('bad-ref');
    const missing = await materialise('dir:nowhere', { projectRoot: repo, paths: [] }).catch(
      (e: unknown) => e,
    );
    expect(isCompatError(missing) && missing.code).toBe('bad-dir');
    const outside = await materialise('main', { projectRoot: scratch, paths: [] }).catch((e: unknown) => e);
    expect(isCompatError(outside) && outside.message).toContain('not in a git repository');
  });

  it('checkBreaking compares the working tree with a tag', async () => {
    const progress: string[] = [];
    const { report } = await checkBreaking({
      cwd: path.join(repo, 'shop'),
      against: 'v1.0.0',
      load: jsonLoader,
      progress: (line) => progress.push(line),
    });
    expect(report.base).toMatch(/^git:v1\.0\.0@/);
    expect(
      report.changes.map((c) => [c.ruleId, c.severity]),
      JSON.stringify(report.changes),
    ).toEqual([['channel-address-changed', 'error']]);
    expect(report.compatible).toBe(false);
    expect(progress[0]).toBe('loading head');
  });

  it('load errors on either side are bad input, listing the diagnostics', async () => {
    const failing: ProjectLoader = async (root) => ({
      ...(await jsonLoader(root)),
      diagnostics: [
        {
          ruleId: 'asyncapi-parse',
          severity: 'error',
          message: 'bad',
          location: { file: 'asyncapi/x.yaml', line: 3, column: 1 },
        },
      ],
    });
    const error = await checkBreaking({
      cwd: path.join(repo, 'shop'),
      against: 'v1.0.0',
      load: failing,
    }).catch((e: unknown) => e);
    expect(isCompatError(error) && error.code).toBe('load-failed');
    expect(isCompatError(error) && error.diagnostics[0]?.location?.line).toBe(3);
  });
});

describe('a base from before the contracts existed', () => {
  it('is an empty registry: every event in head is new, nothing breaks', async () => {
    const repo = path.join(scratch, 'fresh');
    await mkdir(repo, { recursive: true });
    await writeFile(path.join(repo, 'README.md'), '# shop\n');
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'start');
    git(repo, 'tag', 'before-contracts');
    await mkdir(path.join(repo, 'asyncapi'));
    await writeFile(
      path.join(repo, 'asyncapi', 'registry.json'),
      JSON.stringify(registry({ events: [placed] })),
    );
    const progress: string[] = [];
    const { report } = await checkBreaking({
      cwd: repo,
      against: 'before-contracts',
      load: jsonLoader,
      progress: (line) => progress.push(line),
    });
    expect(report.changes.map((c) => `${c.ruleId}:${c.class}`)).toEqual([
      'event-added:non-breaking',
      'receive-operation-added:non-breaking',
    ]);
    expect(report.compatible).toBe(true);
    expect(progress).toContain(`${report.base} has no AsyncAPI documents: every event in head is new`);
  });
});

describe('--history for transitive modes', () => {
  it('BACKWARD_TRANSITIVE compares head with every ref given; BACKWARD with --against only', async () => {
    const repo = path.join(scratch, 'history');
    await mkdir(path.join(repo, 'asyncapi'), { recursive: true });
    const version = async (properties: Record<string, unknown>, mode: string) => {
      const schema = { type: 'object', additionalProperties: false, properties };
      const ev = event({
        type: 'stores.v1.StoreCreated',
        producer: 'stores',
        consumers: ['orders'],
        jsonSchema: schema,
      });
      const raw = {
        stores: {
          components: { messages: { StoreCreated: { payload: schema, 'x-eventkit-compatibility': mode } } },
        },
      };
      await writeFile(
        path.join(repo, 'asyncapi', 'registry.json'),
        JSON.stringify(registry({ events: [ev], raw })),
      );
    };
    const str = { type: 'string' };
    await version({ storeId: str, legacy: str }, 'BACKWARD_TRANSITIVE');
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'v1');
    git(repo, 'tag', 'r1');
    await version({ storeId: str }, 'BACKWARD_TRANSITIVE');
    git(repo, 'commit', '-qam', 'v2');
    git(repo, 'tag', 'r2');
    await version({ storeId: str, note: str }, 'BACKWARD_TRANSITIVE');

    const transitive = await checkBreaking({ cwd: repo, against: 'r2', history: ['r1'], load: jsonLoader });
    expect(transitive.report.history).toEqual([expect.stringMatching(/^git:r1@/)]);
    expect(transitive.report.changes.map((c) => `${c.ruleId}:${c.class}`)).toEqual([
      'jsonschema/property-removed:breaking',
      'jsonschema/property-added:non-breaking',
    ]);
    expect(transitive.report.changes[0]?.message).toMatch(/`legacy`.*against git:r1@/);

    await version({ storeId: str, note: str }, 'BACKWARD');
    const last = await checkBreaking({ cwd: repo, against: 'r2', history: ['r1'], load: jsonLoader });
    expect(last.report.changes.map((c) => `${c.ruleId}:${c.class}`)).toEqual([
      'jsonschema/property-added:non-breaking',
    ]);

    const bad = await checkBreaking({ cwd: repo, against: 'r2', history: ['r0'], load: jsonLoader }).catch(
      (e: unknown) => e,
    );
    expect(isCompatError(bad) && bad.code).toBe('bad-ref');
  });
});
