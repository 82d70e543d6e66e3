// A static file server for the built site on 127.0.0.1, and a watcher that rebuilds when sources change.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { CatalogError } from './errors.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.yaml': 'text/yaml; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.proto': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/** Longer paths are answered 414: no page of the site has a path anywhere near this. */
const maxPathLength = 4096;

export interface StaticServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves `dir` (read on every request, so a rebuilt site shows up at once). Only GET/HEAD, no directory listing. */
export function serveStatic(
  dir: string,
  options: { port?: number; host?: string } = {},
): Promise<StaticServer> {
  const root = path.resolve(dir);
  const host = options.host ?? '127.0.0.1';
  // Resolved per request: a rebuild replaces the folder (and the root may itself be a symlink).
  const realRoot = () => {
    try {
      return fs.realpathSync(root);
    } catch {
      return root;
    }
  };
  // Every request error is an answer: a handler that throws must never take the server down.
  const server = http.createServer((req, res) => {
    try {
      answer(req, res);
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('internal error');
    }
  });
  // Malformed requests (bad request line, overlong headers) end with an HTTP answer, not a dropped socket.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  function answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    if (pathname.includes('\0') || pathname.length > maxPathLength) {
      res.writeHead(pathname.includes('\0') ? 400 : 414).end('bad request');
      return;
    }
    let file = path.join(root, pathname);
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    if (pathname.endsWith('/')) file = path.join(file, 'index.html');
    // The check above is on the name; a symlink inside the site could still lead outside it.
    let real: string;
    try {
      real = fs.realpathSync(file);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    if (!real.startsWith(realRoot() + path.sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    fs.readFile(real, (error, body) => {
      if (error) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  }
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new CatalogError(
          'serve-failed',
          error.code === 'EADDRINUSE'
            ? `port ${options.port} is in use on ${host}; pick another with --port`
            : `cannot serve on ${host}: ${error.message}`,
          { cause: error },
        ),
      ),
    );
    server.listen(options.port ?? 0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://${host}:${port}/`,
        port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

export interface Watcher {
  close(): void;
}

/**
 * Calls `onChange` (debounced) when anything under the given folders changes. Folders that do not exist are
 * skipped; a rebuild never overlaps another — changes during a rebuild trigger one more afterwards.
 */
export function watchSources(
  folders: readonly string[],
  onChange: () => Promise<void>,
  options: { debounceMs?: number; ignore?: string } = {},
): Watcher {
  const debounceMs = options.debounceMs ?? 150;
  // The site's own output (and its temporary siblings) may sit under a watched folder: never react to it.
  const ignored = options.ignore ? path.resolve(options.ignore) : undefined;
  const isOwnOutput = (file: string): boolean => {
    if (ignored === undefined) return false;
    const siblingPrefix = path.join(path.dirname(ignored), `.${path.basename(ignored)}.`);
    return file === ignored || file.startsWith(ignored + path.sep) || file.startsWith(siblingPrefix);
  };
  const watchers: fs.FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  const fire = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await onChange();
    } finally {
      running = false;
      if (again) {
        again = false;
        void fire();
      }
    }
  };
  for (const folder of folders) {
    if (!fs.existsSync(folder)) continue;
    watchers.push(
      fs.watch(folder, { recursive: true }, (_event, name) => {
        if (name && isOwnOutput(path.join(folder, name.toString()))) return;
        clearTimeout(timer);
        timer = setTimeout(() => void fire(), debounceMs);
      }),
    );
  }
  return {
    close: () => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
