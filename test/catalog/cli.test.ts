// `eventkit catalog` end to end on a copy of the repository's contracts: builds, reports, and on
// contract errors prints diagnostics, exits 1 and leaves the previous site as it was.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let project: string;

function eventkit(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [path.join(repo, 'bin/eventkit.mjs'), '-C', project, ...args], {
      // From outside the checkout, as in a user's project: how TypeScript and JSX compile must not depend on it.
      cwd: os.tmpdir(),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'eventkit-catalog-cli-'));
  for (const entry of ['asyncapi', 'contracts/proto', 'catalog', 'eventkit.config.json']) {
    const from = path.join(repo, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(project, entry), { recursive: true });
  }
});
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

describe('eventkit catalog', () => {
  it('builds the site and prints a JSON summary', async () => {
    const { code, stdout, stderr } = await eventkit('catalog', '--out', 'site', '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as {
      outDir: string;
      pages: number;
      services: number;
      events: number;
      bytes: number;
    };
    expect(summary.outDir).toBe(path.join(project, 'site'));
    const services = fs.readdirSync(path.join(project, 'asyncapi')).length;
    expect(summary.services).toBe(services);
    expect(fs.readdirSync(path.join(project, 'site', 'services'))).toHaveLength(services);
    expect(fs.readdirSync(path.join(project, 'site', 'events'))).toHaveLength(summary.events);
    // The download is the document itself; one that refers to other documents is bundled (the site ships
    // only this file): the same document, comments kept, with those refs pointing at components it gains.
    const external = /\$ref: "?\.\/(\w+)\.yaml#\/components\/(\w+)\/(\w+)"?/g;
    for (const doc of fs.readdirSync(path.join(project, 'asyncapi'))) {
      const id = doc.replace(/\.ya?ml$/, '');
      const original = fs.readFileSync(path.join(project, 'asyncapi', doc), 'utf8');
      const offered = fs.readFileSync(path.join(project, 'site', 'asyncapi', `${id}.yaml`), 'utf8');
      expect(offered).not.toMatch(external);
      const localised = original.replace(external, '$ref: "#/components/$2/$3"');
      if (localised === original) {
        expect(offered).toBe(original);
        continue;
      }
      expect(offered.split('\n')[0]).toBe(original.split('\n')[0]);
      const before = parseYaml(localised) as Record<string, Record<string, Record<string, unknown>>>;
      const after = parseYaml(offered) as typeof before;
      expect({ ...after, components: undefined }).toEqual({ ...before, components: undefined });
      for (const [kind, entries] of Object.entries(before.components ?? {}))
        expect(after.components?.[kind]).toMatchObject(entries);
      for (const [, , kind, name] of original.matchAll(external))
        expect(after.components?.[kind as string]?.[name as string]).toBeDefined();
    }
  }, 60_000);

  it('prints progress and a human summary by default', async () => {
    const { code, stdout, stderr } = await eventkit('catalog', '--out', 'site');
    expect(code).toBe(0);
    expect(stderr).toMatch(/catalog: pages \d+\/\d+/);
    expect(stdout).toMatch(/catalog built: \d+ pages .* in [\d.]+ s → site/);
  }, 60_000);

  it('exits 1 with diagnostics on a broken document and keeps the previous site', async () => {
    const index = fs.readFileSync(path.join(project, 'site', 'index.html'));
    const doc = path.join(project, 'asyncapi', 'orders.yaml');
    const original = fs.readFileSync(doc, 'utf8');
    fs.writeFileSync(doc, original.replace(/^asyncapi: .*$/m, 'asyncapi: 3.0.0\nchannels: [not, a, map'));
    try {
      const { code, stderr } = await eventkit('catalog', '--out', 'site');
      expect(code).toBe(1);
      expect(stderr).toContain('asyncapi/orders.yaml');
      expect(stderr).toMatch(/the previous site was left as it was/);
      expect(fs.readFileSync(path.join(project, 'site', 'index.html')).equals(index)).toBe(true);
    } finally {
      fs.writeFileSync(doc, original);
    }
  }, 60_000);

  it('refuses an output folder holding other files (exit 2)', async () => {
    const { code, stderr } = await eventkit('catalog', '--out', 'asyncapi');
    expect(code).toBe(2);
    expect(stderr).toMatch(/did not write/);
    expect(fs.existsSync(path.join(project, 'asyncapi', 'orders.yaml'))).toBe(true);
  }, 60_000);
});

describe('eventkit catalog --serve', () => {
  it('serves on 127.0.0.1 and rebuilds when hand-written content changes, not when its own output does', async () => {
    const p = spawn(
      process.execPath,
      [
        path.join(repo, 'bin/eventkit.mjs'),
        '-C',
        project,
        'catalog',
        '--out',
        'catalog/served',
        '--serve',
        '--port',
        '0',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    let stderr = '';
    let stdout = '';
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    p.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => p.on('close', resolve));
    const intro = path.join(project, 'catalog', 'index.md');
    const original = fs.existsSync(intro) ? fs.readFileSync(intro, 'utf8') : '';
    try {
      await expect
        .poll(() => /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr)?.[1], {
          timeout: 45_000,
          interval: 200,
        })
        .toBeTruthy();
      const url = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr)?.[1] as string;
      const home = await fetch(url);
      expect(home.status).toBe(200);
      expect(home.headers.get('content-type')).toMatch(/text\/html/);
      expect((await fetch(`${url}../../etc/passwd`)).status).not.toBe(200);
      fs.writeFileSync(intro, `${original}\n\nA line added while serving.\n`);
      await expect
        .poll(async () => (await (await fetch(url)).text()).includes('A line added while serving.'), {
          timeout: 45_000,
          interval: 300,
        })
        .toBe(true);
      // The output lives under the watched catalog/ folder: writing it must not trigger another build.
      await new Promise((r) => setTimeout(r, 3000));
      expect(stderr.match(/catalog: loading the registry/g)?.length).toBe(2);
      expect(stdout.match(/catalog built/g)?.length).toBe(2);
    } finally {
      fs.writeFileSync(intro, original);
      p.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 120_000);
});
