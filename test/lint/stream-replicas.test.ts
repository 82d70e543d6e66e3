// `stream-replicas`: lint warns when a stream's replicas are even or exceed the servers its document
// declares (x-eventkit-cluster-size on a server entry), through the real CLI on a copy of the project.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './run-cli.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the repository's documents and protos with orders.yaml edited. */
function projectWith(edit: (ordersYaml: string) => string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'eventkit-replicas-'));
  dirs.push(dir);
  for (const part of ['asyncapi', 'contracts/proto', 'eventkit.config.json'])
    cpSync(path.join(repoRoot, part), path.join(dir, part), { recursive: true });
  const file = path.join(dir, 'asyncapi/orders.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return dir;
}

interface LintJson {
  diagnostics: { ruleId: string; severity: string; message: string; location?: { file: string } }[];
}

async function replicaWarnings(dir: string): Promise<LintJson['diagnostics']> {
  const run = await runCli(['-C', dir, 'lint', '--json', '--no-buf']);
  const parsed = JSON.parse(run.stdout) as LintJson;
  return parsed.diagnostics.filter((d) => d.ruleId === 'stream-replicas');
}

describe('lint: stream-replicas', { timeout: 120_000 }, () => {
  it('warns on R3 when the document declares only a one-server environment, and on an even count', async () => {
    const three = await replicaWarnings(projectWith((y) => y.replace('  replicas: 1', '  replicas: 3')));
    expect(three).toHaveLength(1);
    expect(three[0]?.severity).toBe('warning');
    expect(three[0]?.location?.file).toBe('asyncapi/orders.yaml');
    expect(three[0]?.message).toMatch(/ORDERS has replicas: 3.*local: 1.*at most 1/);

    const two = await replicaWarnings(
      projectWith((y) =>
        y
          .replace('  replicas: 1', '  replicas: 2')
          .replace('    protocol: nats\n', '    protocol: nats\n    x-eventkit-cluster-size: 3\n'),
      ),
    );
    expect(two.map((d) => d.message)).toEqual([
      expect.stringMatching(/ORDERS has replicas: 2, an even number/),
    ]);
  });

  it('is quiet for R3 when a server declares a cluster of three', async () => {
    const dir = projectWith((y) =>
      y
        .replace('  replicas: 1', '  replicas: 3')
        .replace(
          '    description: Local NATS server with JetStream (the reference system and tests).\n',
          '    description: Local NATS server with JetStream (the reference system and tests).\n' +
            '  production:\n    host: nats.shop.example:4222\n    protocol: nats\n    x-eventkit-cluster-size: 3\n',
        ),
    );
    expect(await replicaWarnings(dir)).toEqual([]);
  });

  it('rejects a cluster size that is not a whole number of servers', async () => {
    const dir = projectWith((y) =>
      y.replace('    protocol: nats\n', '    protocol: nats\n    x-eventkit-cluster-size: two\n'),
    );
    const run = await runCli(['-C', dir, 'lint', '--json', '--no-buf']);
    const parsed = JSON.parse(run.stdout) as LintJson;
    expect(parsed.diagnostics.map((d) => d.message)).toContainEqual(
      expect.stringMatching(/x-eventkit-cluster-size must be a whole number/),
    );
  });
});
