// The catalog server never dies of a request (issue #13): NUL bytes, bad percent-encoding, overlong paths and
// `..` traversal are each answered with a 4xx/5xx, and the server keeps serving the site afterwards.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaticServer, serveStatic } from '../../src/catalog/serve.ts';

let parent: string;
let server: StaticServer;

beforeAll(async () => {
  parent = mkdtempSync(path.join(tmpdir(), 'eventkit-serve-'));
  const site = path.join(parent, 'site');
  mkdirSync(site);
  writeFileSync(path.join(site, 'index.html'), '<h1>catalog</h1>');
  writeFileSync(path.join(parent, 'secret.txt'), 'outside the site');
  server = await serveStatic(site);
});

afterAll(async () => {
  await server.close();
  rmSync(parent, { recursive: true, force: true });
});

/** Sends `GET <target>` as raw bytes (no client-side normalisation) and returns the status code (0: no answer). */
function rawGet(target: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = net.connect(server.port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => {
      text += String(chunk);
    });
    socket.on('error', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.write(`GET ${target} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n`);
  });
}

describe('catalog --serve under hostile requests', () => {
  it.each([
    ['a NUL byte', '/%00'],
    ['a NUL byte inside a name', '/index.html%00.txt'],
    ['truncated percent-encoding', '/%E0%A4%A'],
    ['a lone percent sign', '/%'],
    ['an invalid UTF-8 sequence', '/%C0%AF'],
    ['a 100 KB path', `/${'a'.repeat(100 * 1024)}`],
    ['a 10 KB path', `/${'a/'.repeat(5 * 1024)}`],
    ['.. traversal', '/../secret.txt'],
    ['encoded .. traversal', '/%2e%2e/secret.txt'],
    ['encoded slashes and ..', '/..%2f..%2fsecret.txt'],
    ['backslash traversal', '/..\\secret.txt'],
  ])('%s is a 4xx/5xx answer and the server keeps serving', async (_name, target) => {
    const status = await rawGet(target);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(600);
    expect(await rawGet('/')).toBe(200);
  });

  it('a request line that is not HTTP is answered 400', async () => {
    const status = await new Promise<number>((resolve) => {
      const socket = net.connect(server.port, '127.0.0.1');
      let text = '';
      socket.on('data', (chunk) => {
        text += String(chunk);
      });
      socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
      socket.write('\u0000\u0001 garbage\r\n\r\n');
    });
    expect(status).toBe(400);
    expect(await rawGet('/')).toBe(200);
  });
});
