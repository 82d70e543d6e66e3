// `eventkit auth` as a function: users and permissions from the registry, nkeys (kept between runs),
// the authorization config, one env file per user, and optionally a development CA with certificates.
import { join } from 'node:path';
import type { Registry } from '../model/types.ts';
import { NATS_SECURITY_ENV } from '../runtime/transports/connection-security.ts';
import { permissionsFromRegistry, type UserPermissions } from './permissions.ts';
import { ensureUserKeys, type UserKey, writeFileAtomic } from './secrets.ts';
import { renderAuthorization } from './server-config.ts';
import { type DevCertificates, ensureDevCertificates } from './tls.ts';

export interface GenerateAuthOptions {
  /** Folder for seeds, env files, certificates (mode 0700). */
  readonly secretsDir: string;
  /** Where the authorization config goes. Default `<secretsDir>/auth.conf`. */
  readonly configFile?: string;
  /** Users that get a new key (the old one stops working once the server reloads the config). */
  readonly rotate?: ReadonlySet<string>;
  /** Also write a development CA and server/client certificates to `<secretsDir>/tls`. */
  readonly tls?: boolean;
}

export interface GeneratedAuth {
  readonly users: readonly UserPermissions[];
  readonly keys: readonly UserKey[];
  readonly configFile: string;
  /** user → env file (`NATS_NKEY_SEED_FILE`, `NATS_INBOX_PREFIX`, and the TLS variables with --tls). */
  readonly envFiles: ReadonlyMap<string, string>;
  readonly tls?: DevCertificates;
}

/** The environment a user's process needs (what its `<user>.env` file holds). */
export function userEnvironment(
  user: UserPermissions,
  seedFile: string,
  tls?: Pick<DevCertificates, 'caFile' | 'clientCertFile' | 'clientKeyFile'>,
): Record<string, string> {
  return {
    [NATS_SECURITY_ENV.nkeySeedFile]: seedFile,
    [NATS_SECURITY_ENV.inboxPrefix]: user.inboxPrefix,
    ...(tls
      ? {
          [NATS_SECURITY_ENV.caFile]: tls.caFile,
          [NATS_SECURITY_ENV.certFile]: tls.clientCertFile,
          [NATS_SECURITY_ENV.keyFile]: tls.clientKeyFile,
        }
      : {}),
  };
}

export function generateAuth(registry: Registry, options: GenerateAuthOptions): GeneratedAuth {
  const users = permissionsFromRegistry(registry);
  const keys = ensureUserKeys(
    options.secretsDir,
    users.map((u) => u.name),
    options.rotate ?? new Set(),
  );
  const tls = options.tls ? ensureDevCertificates(join(options.secretsDir, 'tls')) : undefined;
  const configFile = options.configFile ?? join(options.secretsDir, 'auth.conf');
  const keyMap = new Map(keys.map((k) => [k.user, k.publicKey]));
  writeFileAtomic(configFile, renderAuthorization(users, keyMap), 0o644);
  const envFiles = new Map<string, string>();
  for (const user of users) {
    const key = keys.find((k) => k.user === user.name) as UserKey;
    const file = join(options.secretsDir, `${user.name}.env`);
    const env = userEnvironment(user, key.seedFile, tls);
    writeFileAtomic(
      file,
      `${Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}\n`,
      0o600,
    );
    envFiles.set(user.name, file);
  }
  return { users, keys, configFile, envFiles, ...(tls ? { tls } : {}) };
}
