// A real nats-server running with what `eventkit auth --tls` generates for the reference documents:
// nkey users with the spec's permissions, TLS only, client certificates required. Streams and durables
// are provisioned by the admin user, as `eventkit provision` would.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { type GeneratedAuth, generateAuth, renderServerConfig, SPECIAL_USERS } from '../../src/auth/index.ts';
import { loadProject } from '../../src/model/index.ts';
import type { Registry } from '../../src/model/types.ts';
import { provisionFromRegistry } from '../../src/reference/system/provision.ts';
import { type NatsSecurityOptions, securityConnectionOptions } from '../../src/runtime/index.ts';
import { freePort, type NatsServer, startNatsServer } from '../support/nats-server.ts';

export interface SecuredServer {
  readonly server: NatsServer;
  readonly auth: GeneratedAuth;
  readonly registry: Registry;
  readonly secretsDir: string;
  readonly configFile: string;
  /** Credentials + TLS of one generated user. */
  security(user: string): NatsSecurityOptions;
  /** A raw nats.js connection as one generated user (closed by stop()). */
  connectAs(user: string, extra?: Partial<NatsSecurityOptions>): Promise<NatsConnection>;
  /** Regenerate the config (e.g. with a rotated key) and make the server reload it. */
  regenerate(rotate: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startSecuredServer(): Promise<SecuredServer> {
  const dir = mkdtempSync(join(tmpdir(), 'eventkit-security-'));
  const secretsDir = join(dir, 'secrets');
  const { registry } = await loadProject(process.cwd());
  let auth = generateAuth(registry, { secretsDir, tls: true });
  const tls = auth.tls;
  if (!tls) throw new Error('no TLS files');
  const port = await freePort();
  const configFile = join(dir, 'nats-server.conf');
  writeFileSync(
    configFile,
    renderServerConfig({
      configFile,
      host: '127.0.0.1',
      port,
      storeDir: join(dir, 'jetstream'),
      authFile: auth.configFile,
      tls: {
        caFile: tls.caFile,
        certFile: tls.serverCertFile,
        keyFile: tls.serverKeyFile,
        verifyClients: true,
      },
    }),
  );
  const server = await startNatsServer({ configFile, port, storeDir: join(dir, 'jetstream') });
  const connections: NatsConnection[] = [];
  const security = (user: string): NatsSecurityOptions => {
    const key = auth.keys.find((k) => k.user === user);
    const permissions = auth.users.find((u) => u.name === user);
    if (!key || !permissions) throw new Error(`no generated user ${user}`);
    return {
      nkeySeedFile: key.seedFile,
      inboxPrefix: permissions.inboxPrefix,
      caFile: tls.caFile,
      certFile: tls.clientCertFile,
      keyFile: tls.clientKeyFile,
    };
  };
  const connectAs = async (user: string, extra: Partial<NatsSecurityOptions> = {}) => {
    const nc = await connect({
      servers: server.url,
      name: `security-test-${user}`,
      timeout: 5_000,
      maxReconnectAttempts: 0,
      ...securityConnectionOptions({ ...security(user), ...extra }),
    });
    connections.push(nc);
    return nc;
  };
  const admin = await connectAs(SPECIAL_USERS.admin);
  const provisioned = await provisionFromRegistry(registry, admin);
  if (provisioned.failed.length > 0) throw new Error(`provisioning failed: ${provisioned.failed.join('; ')}`);
  return {
    server,
    get auth() {
      return auth;
    },
    registry,
    secretsDir,
    configFile,
    security,
    connectAs,
    async regenerate(rotate) {
      auth = generateAuth(registry, { secretsDir, tls: true, rotate: new Set(rotate) });
      await server.reload();
    },
    async stop() {
      for (const nc of connections) await nc.close().catch(() => undefined);
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
