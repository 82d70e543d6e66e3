// A local nats-server that runs with what `eventkit auth --tls` generates: the spec's users and
// permissions, TLS only, client certificates required. `npm run demo` and the attack tests use it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from '../model/types.ts';
import { freePort, type NatsServer, startNatsServer } from '../runtime/nats-server.ts';
import type { NatsSecurityOptions } from '../runtime/transports/connection-security.ts';
import { type GeneratedAuth, generateAuth } from './generate.ts';
import { renderServerConfig } from './server-config.ts';

export interface SecuredNatsServer {
  readonly server: NatsServer;
  /** What was generated (users, keys, config, TLS files); replaced by `regenerate`. */
  readonly auth: GeneratedAuth;
  readonly secretsDir: string;
  readonly configFile: string;
  /** Credentials and TLS of one generated user (a service id or a special user). */
  security(user: string): NatsSecurityOptions;
  /** Regenerate (e.g. rotating keys) and make the server reload its config. */
  regenerate(rotate?: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

/** Generate users and a development CA in `dir`, then start nats-server -js with them on loopback. */
export async function startSecuredNatsServer(registry: Registry, dir: string): Promise<SecuredNatsServer> {
  const secretsDir = join(dir, 'secrets');
  const storeDir = join(dir, 'jetstream');
  mkdirSync(storeDir, { recursive: true });
  let auth = generateAuth(registry, { secretsDir, tls: true });
  const tls = auth.tls;
  if (!tls) throw new Error('generateAuth wrote no TLS files');
  const port = await freePort();
  const configFile = join(dir, 'nats-server.conf');
  writeFileSync(
    configFile,
    renderServerConfig({
      configFile,
      host: '127.0.0.1',
      port,
      storeDir,
      authFile: auth.configFile,
      tls: {
        caFile: tls.caFile,
        certFile: tls.serverCertFile,
        keyFile: tls.serverKeyFile,
        verifyClients: true,
      },
    }),
  );
  const server = await startNatsServer({ configFile, port, storeDir });
  return {
    server,
    get auth() {
      return auth;
    },
    secretsDir,
    configFile,
    security(user) {
      const key = auth.keys.find((k) => k.user === user);
      const permissions = auth.users.find((u) => u.name === user);
      if (!key || !permissions) throw new Error(`no generated NATS user "${user}"`);
      return {
        nkeySeedFile: key.seedFile,
        inboxPrefix: permissions.inboxPrefix,
        caFile: tls.caFile,
        certFile: tls.clientCertFile,
        keyFile: tls.clientKeyFile,
      };
    },
    async regenerate(rotate = []) {
      auth = generateAuth(registry, { secretsDir, tls: true, rotate: new Set(rotate) });
      await server.reload();
    },
    stop: () => server.stop(),
  };
}
