// Render workers: a build that renders event pages in worker threads writes exactly the bytes of a build on
// the main thread alone, and a failure inside a worker fails the build and leaves the previous site as it was.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKER_MIN_EVENTS, workerCount } from '../../src/catalog/build.tsx';
import { buildCatalog, isCatalogError } from '../../src/catalog/index.ts';
import type { Registry } from '../../src/model/types.ts';
import { writeSyntheticContracts } from '../../tools/synthetic/contracts.ts';
import { syntheticRegistry } from '../../tools/synthetic/registry.ts';
import { files } from './tree.ts';

let root: string;
let registry: Registry;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eventkit-catalog-workers-'));
  // Enough events for several batches per worker; the builds below ask for workers explicitly.
  registry = syntheticRegistry({ services: 45, events: 450, consumersPerEvent: 2, root });
  writeSyntheticContracts(registry, root);
  fs.mkdirSync(path.join(root, 'catalog', 'assets'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'catalog', 'catalog.json'),
    JSON.stringify({ title: 'Acme events', saga: ['OrderPlaced', 'PaymentApproved'] }),
  );
  fs.writeFileSync(path.join(root, 'catalog', 'assets', 'custom.css'), ':root { --accent: #0a7; }\n');
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('buildCatalog with render workers', () => {
  it('uses workers by default only for large registries, and never more than the other cores', () => {
    expect(workerCount(undefined, WORKER_MIN_EVENTS - 1, 8)).toBe(0);
    expect(workerCount(undefined, WORKER_MIN_EVENTS, 2)).toBe(1);
    expect(workerCount(undefined, 10_000, 1)).toBe(0);
    expect(workerCount(undefined, 10_000, 16)).toBe(3);
    expect(workerCount(2, 10, 1)).toBe(2);
  });

  it('writes the same files, byte for byte, as a build on the main thread alone', async () => {
    const single = await buildCatalog({ registry, root, outDir: 'dist/single', workers: 0 });
    const pooled = await buildCatalog({ registry, root, outDir: 'dist/pooled', workers: 2 });
    const one = await buildCatalog({ registry, root, outDir: 'dist/one', workers: 1 });
    const a = files(single.outDir);
    expect(a.filter((f) => f.startsWith('events/'))).toHaveLength(registry.events.length);
    for (const other of [pooled, one]) {
      expect(files(other.outDir)).toEqual(a);
      for (const f of a)
        expect(
          fs.readFileSync(path.join(other.outDir, f)).equals(fs.readFileSync(path.join(single.outDir, f))),
          f,
        ).toBe(true);
      expect({ pages: other.pages, files: other.files, bytes: other.bytes }).toEqual({
        pages: single.pages,
        files: single.files,
        bytes: single.bytes,
      });
    }
  }, 120_000);

  it('lays a service-level flow out in a worker exactly as on the main thread', async () => {
    const small = syntheticRegistry({ services: 10, events: 40, consumersPerEvent: 2, root });
    const single = await buildCatalog({ registry: small, root, outDir: 'dist/flow-single', workers: 0 });
    const pooled = await buildCatalog({ registry: small, root, outDir: 'dist/flow-pooled', workers: 1 });
    expect(single.flowLevel).toBe('services');
    const flow = (dir: string): Buffer => fs.readFileSync(path.join(dir, 'flow.html'));
    expect(flow(pooled.outDir).equals(flow(single.outDir))).toBe(true);
    expect(flow(single.outDir).toString()).toContain('data-node="e:');
  }, 60_000);

  it('fails with a CatalogError and keeps the previous site when a worker fails', async () => {
    const first = await buildCatalog({ registry, root, outDir: 'dist/catalog', workers: 0 });
    const before = files(first.outDir);
    const index = fs.readFileSync(path.join(first.outDir, 'index.html'));
    // The first events go to the worker; a file name longer than any file system allows fails its write.
    const [head, ...rest] = registry.events;
    const broken: Registry = {
      ...registry,
      events: [{ ...(head as Registry['events'][number]), type: `a${'x'.repeat(300)}` }, ...rest],
    };
    const error = await buildCatalog({ registry: broken, root, outDir: 'dist/catalog', workers: 1 }).catch(
      (e: unknown) => e,
    );
    expect(isCatalogError(error) && error.code).toBe('render-failed');
    expect((error as Error).message).toMatch(/worker failed: cannot write .*events\/ax+\.html/);
    expect(files(first.outDir)).toEqual(before);
    expect(fs.readFileSync(path.join(first.outDir, 'index.html')).equals(index)).toBe(true);
    expect(fs.readdirSync(path.join(root, 'dist')).filter((n) => n.startsWith('.'))).toEqual([]);

    // A failure on the main thread while the workers write stops them before the temporary folder goes.
    const failing = buildCatalog({
      registry,
      root,
      outDir: 'dist/catalog',
      workers: 1,
      onProgress: (p) => {
        if (p.phase === 'pages' && p.done >= 200) throw new Error('disk full (simulated)');
      },
    });
    await expect(failing).rejects.toThrow('disk full (simulated)');
    expect(files(first.outDir)).toEqual(before);
    expect(fs.readdirSync(path.join(root, 'dist')).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 120_000);
});
