// `catalog --serve` as an attacker meets it: raw HTTP over a socket, so `../` and `%2e%2e%2f` reach the
// server exactly as written (fetch normalises the path first, so a fetch-based test cannot fail).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaticServer, serveStatic } from '../../src/catalog/index.ts';

const SECRET = 'SECRET-OUTSIDE-THE-SITE-7f3a';
let dir: string;
let server: StaticServer;

/** Send one request line as written and return the raw response. */
function rawGet(port: number, target: string, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let response = '';
    socket.on('connect', () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`),
    );
    socket.on('data', (chunk) => {
      response += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(response));
    socket.on('error', reject);
  });
}

const status = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eventkit-serve-'));
  const site = join(dir, 'site');
  mkdirSync(join(site, 'events'), { recursive: true });
  writeFileSync(join(site, 'index.html'), '<h1>catalog</h1>');
  writeFileSync(join(site, 'events', 'a.html'), '<p>event</p>');
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  symlinkSync(join(dir, 'secret.txt'), join(site, 'link.txt'));
  server = await serveStatic(site);
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('catalog --serve hardening', () => {
  it('binds 127.0.0.1 by default, not every interface', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(status(await rawGet(server.port, '/'))).toBe(200);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (external) await expect(rawGet(server.port, '/', external.address)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses every traversal spelling, sent raw', async () => {
    const targets = [
      '/../secret.txt',
      '/../../../../etc/passwd',
      '/events/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/events/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%2fsecret.txt',
      '/.%2e/secret.txt',
      '/%252e%252e%252fsecret.txt',
      '/..\\secret.txt',
      '/link.txt',
      `/${'..%2f'.repeat(12)}etc%2fpasswd`,
    ];
    const results: string[] = [];
    for (const target of targets) {
      const response = await rawGet(server.port, target);
      results.push(`${target} → ${status(response)}`);
      expect(response).not.toContain(SECRET);
      expect(response).not.toMatch(/root:.*:0:0:/);
      expect([400, 403, 404]).toContain(status(response));
    }
    process.stdout.write(
      `[serve] ${targets.length} traversal attempts, ${targets.length} refused:\n  ${results.join('\n  ')}\n`,
    );
    // Ordinary pages still work.
    expect(status(await rawGet(server.port, '/events/a.html'))).toBe(200);
  });
});
