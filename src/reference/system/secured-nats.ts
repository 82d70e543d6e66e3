// The demo's default broker: a local nats-server with the users, permissions and TLS `eventkit auth --tls`
// generates from the reference documents, so every service runs as its own least-privilege user.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSecuredNatsServer } from '../../auth/secured-server.ts';
import { loadProject } from '../../model/index.ts';
import type { NatsSecurityOptions } from '../../runtime/index.ts';

export interface SecuredDemoServer {
  readonly url: string;
  /** Users in the generated config. */
  readonly users: number;
  /** Each user's credentials and TLS (pass to runSaga as natsSecurity). */
  readonly natsSecurity: (user: string) => NatsSecurityOptions | undefined;
  stop(): Promise<void>;
}

export async function startSecuredDemoServer(root = process.cwd()): Promise<SecuredDemoServer> {
  const { registry } = await loadProject(root);
  const dir = mkdtempSync(join(tmpdir(), 'eventkit-demo-nats-'));
  try {
    const secured = await startSecuredNatsServer(registry, dir);
    return {
      url: secured.server.url,
      users: secured.auth.users.length,
      natsSecurity: (user) => secured.security(user),
      async stop() {
        await secured.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
