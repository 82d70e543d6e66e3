// Remote $refs: offline by default (one diagnostic per URL, naming it, saying it was not fetched and how to
// vendor it; no DNS or connection error), fetched with --allow-remote (from a real HTTP server on loopback).
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.ts';
import { scratchCopy } from './support.ts';

const schema = {
  definitions: {
    Order: {
      type: 'object',
      required: ['orderId'],
      properties: { orderId: { type: 'string' }, total: { type: 'number' } },
    },
    Address: { type: 'object', properties: { city: { type: 'string', description: 'City.' } } },
  },
};

let server: Server;
let root: string;
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    if (req.url === '/schemas/order.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(schema));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  root = await scratchCopy('remote-refs');
  for (const file of ['asyncapi/orders.yaml', 'common/messages.yaml']) {
    const at = path.join(root, file);
    await writeFile(at, (await readFile(at, 'utf8')).replaceAll('127.0.0.1:9/', `127.0.0.1:${port}/`));
  }
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

describe('remote $refs', () => {
  it('are not fetched by default: one diagnostic naming the URL, with how to vendor it', async () => {
    const run = await runCli(['-C', root, 'lint', '--json']);
    expect(run.code).toBe(2);
    expect(requests).toBe(0);
    const report = JSON.parse(run.stdout) as {
      diagnostics: {
        ruleId: string;
        message: string;
        hint?: string;
        location?: { file: string; line: number };
      }[];
    };
    const remote = report.diagnostics.filter((d) => d.ruleId === 'ref-remote');
    expect(remote).toHaveLength(1);
    expect(remote[0]?.message).toMatch(
      /\$ref http:\/\/127\.0\.0\.1:\d+\/schemas\/order\.json#\/definitions\/\w+ points at a remote URL, which was not fetched/,
    );
    expect(remote[0]?.hint).toContain('Vendor it');
    expect(remote[0]?.hint).toContain('--allow-remote');
    expect(remote[0]?.location?.line).toBeGreaterThan(1);
    expect(run.stdout + run.stderr).not.toMatch(/ENOTFOUND|ECONNREFUSED|getaddrinfo|FetchError/);
  });

  it('are fetched with --allow-remote', async () => {
    const run = await runCli(['-C', root, '--allow-remote', 'lint']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(requests).toBeGreaterThan(0);
  }, 60_000);
});
