// Names from documents are data, not paths (issue #13): a service id or event type that is not a plain
// name is a lint error at its line, and codegen writes nothing anywhere.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventNameProblem, eventTypeProblem, serviceIdProblem } from '../../src/model/names.ts';
import { changedPaths, projectsOfThisFile, runMain, snapshot, stackTrace } from './support.ts';

const newProject = projectsOfThisFile();
const project = (change: (shop: string) => string) => {
  const root = newProject();
  const file = path.join(root, 'asyncapi/shop.yaml');
  writeFileSync(file, change(readFileSync(file, 'utf8')));
  return root;
};

describe('the names grammar', () => {
  it.each(['orders', 'order-service', 'shop_2', 'A1'])('accepts the service id %s', (id) => {
    expect(serviceIdProblem(id)).toBeUndefined();
  });
  it.each(['../../../victim', 'a/b', 'a\\b', 'a..b', '.hidden', 'new\nline', 'with space', '', 'class'])(
    'rejects the service id %j',
    (id) => {
      expect(serviceIdProblem(id)).toBeDefined();
    },
  );
  it('accepts type names and rejects code', () => {
    expect(eventTypeProblem('orders.v1.OrderPlaced')).toBeUndefined();
    expect(eventTypeProblem("orders.v1.X'; process.exit(1); '")).toBeDefined();
    expect(eventTypeProblem('orders..v1.X')).toBeDefined();
    expect(eventNameProblem('delete')).toBeDefined();
  });
});

describe('hostile names in documents', () => {
  it('x-eventkit-service: ../../../victim is a lint error and codegen writes nothing anywhere', async () => {
    const root = project((t) => t.replace('x-eventkit-service: shop', 'x-eventkit-service: ../../../victim'));
    const lint = await runMain(['-C', root, 'lint', '--no-buf', '--json']);
    expect(lint.code).toBe(1);
    expect(lint.stdout).toContain('"service-id-invalid"');
    expect(lint.stdout).toContain('"line": 5');
    const parent = path.dirname(path.dirname(root));
    const before = snapshot(path.dirname(root));
    const codegen = await runMain(['-C', root, 'codegen']);
    expect([1, 2]).toContain(codegen.code);
    expect(codegen.stdout + codegen.stderr).not.toMatch(stackTrace);
    expect(changedPaths(before, snapshot(path.dirname(root)))).toEqual([]);
    expect(snapshot(parent).has('victim')).toBe(false);
  }, 60_000);

  it('a service id with / is a lint error, not an internal error', async () => {
    const root = project((t) => t.replace('x-eventkit-service: shop', 'x-eventkit-service: shop/orders'));
    const run = await runMain(['-C', root, 'codegen']);
    expect(run.code).not.toBe(70);
    expect([1, 2]).toContain(run.code);
    expect(run.stdout + run.stderr).toContain('asyncapi/shop.yaml:5');
  }, 60_000);
});

describe('output folders outside the project', () => {
  it('need "allowOutsideProject": config paths leaving the project are a config error (exit 2)', async () => {
    const root = project((t) => t);
    writeFileSync(
      path.join(root, 'eventkit.config.json'),
      JSON.stringify({
        asyncapi: ['../*.yaml'],
        protoRoots: ['proto'],
        output: { codegen: '../gen' },
        bufLint: false,
      }),
    );
    const run = await runMain(['-C', root, 'codegen']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"output.codegen": "../gen" leaves the project folder');
    expect(run.stderr).toContain('document glob "../*.yaml" leaves the project folder');
    const can = await runMain(['-C', root, 'can-i-deploy', '--pacticipant', 'shop', '--version', 'v1']);
    expect(can.code).toBe(2);
  }, 60_000);
});
