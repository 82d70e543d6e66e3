// `eventkit auth` as a user meets it: the generated config, its determinism and drift check, secret file
// modes, the CVE-2023-47090 shape never written, and the CLI's exit codes.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authDrift,
  defaultSecretsDir,
  generateAuth,
  hasAccountsBlock,
  isInsideProject,
  parseAuthorization,
  permissionsFromRegistry,
  SPECIAL_USERS,
} from '../../src/auth/index.ts';
import { loadProject } from '../../src/model/index.ts';
import type { Registry } from '../../src/model/types.ts';

const run = promisify(execFile);
const cli = join(process.cwd(), 'bin', 'eventkit.mjs');
let registry: Registry;
let dir: string;

beforeAll(async () => {
  registry = (await loadProject(process.cwd())).registry;
  dir = mkdtempSync(join(tmpdir(), 'eventkit-auth-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function eventkit(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd: process.cwd() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('permissions from the registry', () => {
  it('grants payments exactly its sends, its durables and its dead letters', () => {
    const payments = permissionsFromRegistry(registry).find((u) => u.name === 'payments');
    expect(payments?.publish.map((g) => g.subject)).toEqual([
      '$JS.ACK.ORDERS.payments--order-cancelled-v1.>',
      '$JS.ACK.ORDERS.payments--order-placed-v2.>',
      '$JS.API.CONSUMER.INFO.ORDERS.payments--order-cancelled-v1',
      '$JS.API.CONSUMER.INFO.ORDERS.payments--order-placed-v2',
      '$JS.API.CONSUMER.MSG.NEXT.ORDERS.payments--order-cancelled-v1',
      '$JS.API.CONSUMER.MSG.NEXT.ORDERS.payments--order-placed-v2',
      '$JS.API.STREAM.INFO.DEADLETTER',
      'deadletter.payments.>',
      'payments.payment-approved.v1.>',
      'payments.payment-declined.v1.>',
      'payments.payment-refunded.v1.>',
    ]);
    expect(payments?.subscribe.map((g) => g.subject)).toEqual(['_INBOX_payments.>']);
    expect(payments?.allowResponses).toBe(false);
  });

  it('lets orders answer its requests and the clients user send only requests no service sends', () => {
    const users = permissionsFromRegistry(registry);
    const orders = users.find((u) => u.name === 'orders');
    expect(orders?.subscribe.map((g) => g.subject)).toEqual([
      '_INBOX_orders.>',
      'cmd.orders.place-order.v1',
      'query.orders.get-order.v1',
    ]);
    expect(orders?.allowResponses).toBe(true);
    const clients = users.find((u) => u.name === SPECIAL_USERS.clients);
    expect(clients?.publish.map((g) => g.subject)).toEqual(['cmd.orders.place-order.v1']);
  });

  it('gives no service user any JetStream API that creates, purges or deletes', () => {
    for (const user of permissionsFromRegistry(registry).filter((u) => u.role !== 'admin'))
      for (const { subject } of user.publish) {
        expect(subject).not.toMatch(/CREATE|DELETE|PURGE|UPDATE|\$JS\.API\.>|^>$|\*\.>/);
        if (subject.startsWith('$JS.'))
          expect(subject).toMatch(
            /^\$JS\.(ACK|API\.(CONSUMER\.(MSG\.NEXT|INFO|LIST|NAMES)|STREAM\.(INFO|LIST|NAMES)|INFO))/,
          );
      }
  });
});

describe('the generated config', () => {
  it('is deterministic for the same keys, valid for nats-server, and never has accounts', async () => {
    const secretsDir = join(dir, 'det');
    const first = generateAuth(registry, { secretsDir });
    const text = readFileSync(first.configFile, 'utf8');
    generateAuth(registry, { secretsDir });
    expect(readFileSync(first.configFile, 'utf8')).toBe(text);
    expect(hasAccountsBlock(text)).toBe(false);
    expect(parseAuthorization(text, first.configFile).map((u) => u.name)).toEqual(
      first.users.map((u) => u.name),
    );
    const { stdout, stderr } = await run('/usr/sbin/nats-server', ['-t', '-c', first.configFile]).catch(
      (e: { stdout: string; stderr: string }) => e,
    );
    expect(`${stdout}${stderr}`).toMatch(/is valid/);
  });

  it('writes seeds and env files with mode 0600 in a 0700 folder, outside the repository by default', () => {
    const secretsDir = join(dir, 'modes');
    const result = generateAuth(registry, { secretsDir, tls: true });
    expect(statSync(secretsDir).mode & 0o777).toBe(0o700);
    for (const key of result.keys) expect(statSync(key.seedFile).mode & 0o777).toBe(0o600);
    for (const file of result.envFiles.values()) expect(statSync(file).mode & 0o777).toBe(0o600);
    for (const file of [result.tls?.caKeyFile, result.tls?.serverKeyFile, result.tls?.clientKeyFile])
      expect(statSync(file ?? '').mode & 0o777).toBe(0o600);
    const config = readFileSync(result.configFile, 'utf8');
    for (const key of result.keys) expect(config).not.toContain(readFileSync(key.seedFile, 'utf8').trim());
    expect(isInsideProject(process.cwd(), defaultSecretsDir(process.cwd()))).toBe(false);
  });

  it('reports drift: a grant the deployed config lacks, one it should no longer have, a rotated key', () => {
    const secretsDir = join(dir, 'drift');
    const result = generateAuth(registry, { secretsDir });
    const text = readFileSync(result.configFile, 'utf8');
    const edited = text
      .replace(
        '"payments.payment-refunded.v1.>"',
        '"payments.payment-refunded.v1.>", "orders.order-paid.v1.>"',
      )
      .replace('"inventory.stock-reserved.v1.>"', '"inventory.stock-reserved-typo.v1.>"');
    const drift = authDrift(result.users, edited, 'deployed.conf');
    expect(drift.map((d) => `${d.kind} ${d.user} ${d.subject ?? ''}`).sort()).toEqual([
      'extra-grant inventory inventory.stock-reserved-typo.v1.>',
      'extra-grant payments orders.order-paid.v1.>',
      'missing-grant inventory inventory.stock-reserved.v1.>',
    ]);
    const rotated = generateAuth(registry, { secretsDir, rotate: new Set(['payments']) });
    const keys = new Map(rotated.keys.map((k) => [k.user, k.publicKey]));
    expect(authDrift(rotated.users, text, 'deployed.conf', keys).map((d) => `${d.kind} ${d.user}`)).toEqual([
      'key payments',
    ]);
    expect(authDrift(result.users, `accounts: { SYS: {} }\n${text}`, 'x.conf')[0]?.kind).toBe('accounts');
  });
});

describe('eventkit auth (CLI)', () => {
  it('writes (0), finds drift (1) and refuses an unreadable deployed config (2)', async () => {
    const secrets = join(dir, 'cli');
    const written = await eventkit(['auth', '--secrets', secrets, '--json']);
    expect(written.code).toBe(0);
    const out = JSON.parse(written.stdout) as { configFile: string; users: { name: string }[] };
    expect(out.users.map((u) => u.name)).toContain('notifications');
    const stale = join(dir, 'stale.conf');
    writeFileSync(
      stale,
      readFileSync(out.configFile, 'utf8').replace(/,?\n\s*"stores\.store-created\.v1\.>"/, ''),
    );
    const drift = await eventkit(['auth', '--secrets', secrets, '--check', stale]);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toMatch(/stores may not publish stores.store-created.v1.> yet/);
    const garbage = join(dir, 'garbage.conf');
    writeFileSync(garbage, 'port: 4222\n');
    const bad = await eventkit(['auth', '--secrets', secrets, '--check', garbage]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no `authorization: \{` block/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
