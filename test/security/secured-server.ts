// The attack tests' server: `startSecuredNatsServer` (what `npm run demo` runs) on the reference
// documents, with streams and durables provisioned by the admin user as `eventkit provision` would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { type SecuredNatsServer, SPECIAL_USERS, startSecuredNatsServer } from '../../src/auth/index.ts';
import { loadProject } from '../../src/model/index.ts';
import { provisionFromRegistry } from '../../src/reference/system/provision.ts';
import { type NatsSecurityOptions, securityConnectionOptions } from '../../src/runtime/index.ts';

export interface SecuredServer extends SecuredNatsServer {
  /** A raw nats.js connection as one generated user (closed by stop()). */
  connectAs(user: string, extra?: Partial<NatsSecurityOptions>): Promise<NatsConnection>;
}

export async function startSecuredServer(): Promise<SecuredServer> {
  const dir = mkdtempSync(join(tmpdir(), 'eventkit-security-'));
  const { registry } = await loadProject(process.cwd());
  const secured = await startSecuredNatsServer(registry, dir);
  const connections: NatsConnection[] = [];
  const connectAs = async (user: string, extra: Partial<NatsSecurityOptions> = {}) => {
    const nc = await connect({
      servers: secured.server.url,
      name: `security-test-${user}`,
      timeout: 5_000,
      maxReconnectAttempts: 0,
      ...securityConnectionOptions({ ...secured.security(user), ...extra }),
    });
    connections.push(nc);
    return nc;
  };
  const provisioned = await provisionFromRegistry(registry, await connectAs(SPECIAL_USERS.admin));
  if (provisioned.failed.length > 0) throw new Error(`provisioning failed: ${provisioned.failed.join('; ')}`);
  return Object.assign(Object.create(secured) as SecuredNatsServer, {
    connectAs,
    async stop() {
      for (const nc of connections) await nc.close().catch(() => undefined);
      await secured.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}
