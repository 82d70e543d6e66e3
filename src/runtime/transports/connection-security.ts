// Who a connection is and how it is encrypted: credentials and TLS for nats.js, from explicit options or
// from environment variables (what `eventkit auth` writes into each user's `<user>.env`). One place reads
// the variables, so every tool and service connects the same way.
import { readFileSync } from 'node:fs';
import {
  type Authenticator,
  type ConnectionOptions,
  credsAuthenticator,
  nkeyAuthenticator,
} from '@nats-io/nats-core';
import { TransportError } from '../errors.ts';

export interface NatsSecurityOptions {
  /** File holding an nkey seed (`SU…`), as `eventkit auth` writes it. Env `NATS_NKEY_SEED_FILE`. */
  readonly nkeySeedFile?: string;
  /** A `.creds` file (JWT + seed, operator mode). Env `NATS_CREDS`. */
  readonly credsFile?: string;
  /** User and password. Env `NATS_USER`, `NATS_PASSWORD`. */
  readonly user?: string;
  readonly password?: string;
  /** CA that signed the server certificate (PEM file); implies TLS. Env `NATS_CA`. */
  readonly caFile?: string;
  /** Client certificate and key (PEM files) for servers that verify clients. Env `NATS_CERT`, `NATS_KEY`. */
  readonly certFile?: string;
  readonly keyFile?: string;
  /**
   * Prefix of this connection's reply subjects (request replies, PubAcks, pull deliveries). A per-user
   * prefix lets the server stop others from reading your replies. Env `NATS_INBOX_PREFIX`; default `_INBOX`.
   */
  readonly inboxPrefix?: string;
}

/** The environment variables read by {@link securityFromEnv}, for help texts and docs. */
export const NATS_SECURITY_ENV = {
  nkeySeedFile: 'NATS_NKEY_SEED_FILE',
  credsFile: 'NATS_CREDS',
  user: 'NATS_USER',
  password: 'NATS_PASSWORD',
  caFile: 'NATS_CA',
  certFile: 'NATS_CERT',
  keyFile: 'NATS_KEY',
  inboxPrefix: 'NATS_INBOX_PREFIX',
} as const satisfies Record<keyof NatsSecurityOptions, string>;

/** Security options from environment variables (unset or empty variables are left out). */
export function securityFromEnv(env: NodeJS.ProcessEnv = process.env): NatsSecurityOptions {
  const out: Record<string, string> = {};
  for (const [key, variable] of Object.entries(NATS_SECURITY_ENV)) {
    const value = env[variable];
    if (value) out[key] = value;
  }
  return out as NatsSecurityOptions;
}

function readSecretFile(path: string, what: string, variable: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    throw new TransportError(
      'rejected',
      `cannot read the ${what} ${path} (${variable}): ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * nats.js connection options for the given security settings. Files are read once, here, so a missing
 * seed or certificate fails at connect with its path and variable instead of deep inside the client.
 */
export function securityConnectionOptions(security: NatsSecurityOptions): Partial<ConnectionOptions> {
  const options: Partial<ConnectionOptions> = {};
  const authenticators: Authenticator[] = [];
  if (security.nkeySeedFile) {
    const text = new TextDecoder().decode(
      readSecretFile(security.nkeySeedFile, 'nkey seed file', NATS_SECURITY_ENV.nkeySeedFile),
    );
    const seed = text.trim().split(/\s+/)[0] ?? '';
    if (!seed.startsWith('SU'))
      throw new TransportError(
        'rejected',
        `${security.nkeySeedFile} (${NATS_SECURITY_ENV.nkeySeedFile}) holds no user nkey seed (a line starting with SU); regenerate it with eventkit auth`,
      );
    authenticators.push(nkeyAuthenticator(new TextEncoder().encode(seed)));
  }
  if (security.credsFile)
    authenticators.push(
      credsAuthenticator(readSecretFile(security.credsFile, 'credentials file', NATS_SECURITY_ENV.credsFile)),
    );
  if (authenticators.length > 0) options.authenticator = authenticators;
  if (security.user) {
    options.user = security.user;
    options.pass = security.password ?? '';
  }
  if (security.caFile || security.certFile || security.keyFile) {
    for (const [key, what] of [
      ['caFile', 'CA certificate'],
      ['certFile', 'client certificate'],
      ['keyFile', 'client key'],
    ] as const) {
      const path = security[key];
      if (path) readSecretFile(path, what, NATS_SECURITY_ENV[key]);
    }
    if (!security.certFile !== !security.keyFile)
      throw new TransportError(
        'rejected',
        `a client certificate needs both ${NATS_SECURITY_ENV.certFile} and ${NATS_SECURITY_ENV.keyFile}`,
      );
    options.tls = {
      ...(security.caFile ? { caFile: security.caFile } : {}),
      ...(security.certFile ? { certFile: security.certFile } : {}),
      ...(security.keyFile ? { keyFile: security.keyFile } : {}),
    };
  }
  if (security.inboxPrefix) options.inboxPrefix = security.inboxPrefix;
  return options;
}

/** The environment variables that carry these options (for a child process). */
export function securityToEnv(security: NatsSecurityOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, variable] of Object.entries(NATS_SECURITY_ENV)) {
    const value = security[key as keyof NatsSecurityOptions];
    if (value) env[variable] = value;
  }
  return env;
}
