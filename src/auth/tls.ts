// A development CA with a server and a client certificate, made by the `openssl` command (Debian's
// openssl is on every machine eventkit targets; Node's crypto cannot sign X.509 certificates, and a
// JavaScript X.509 library would be a dependency for a development-only feature). Keys are P-256,
// written with mode 0600; existing files are kept, so servers and clients keep trusting each other.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthError } from './errors.ts';
import { ensurePrivateDir } from './secrets.ts';

export interface DevCertificates {
  readonly dir: string;
  readonly caFile: string;
  readonly caKeyFile: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  /** Created on this run (false: all files were already there). */
  readonly created: boolean;
}

export function certificateFiles(dir: string): Omit<DevCertificates, 'created'> {
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    caKeyFile: join(dir, 'ca-key.pem'),
    serverCertFile: join(dir, 'server-cert.pem'),
    serverKeyFile: join(dir, 'server-key.pem'),
    clientCertFile: join(dir, 'client-cert.pem'),
    clientKeyFile: join(dir, 'client-key.pem'),
  };
}

function openssl(args: readonly string[]): void {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT')
      throw new AuthError(
        'tls-failed',
        'openssl is not installed: `apt-get install openssl` (needed by --tls)',
        {
          cause: error,
        },
      );
    throw new AuthError(
      'tls-failed',
      `openssl ${args[0]} failed: ${e.stderr?.toString().trim() || e.message}`,
      { cause: error },
    );
  }
}

const DAYS = '825';
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Make (or keep) the CA, a server certificate for `hosts` and one client certificate in `dir`. */
export function ensureDevCertificates(
  dir: string,
  options: { readonly hosts?: readonly string[]; readonly renew?: boolean } = {},
): DevCertificates {
  const files = certificateFiles(dir);
  const all = [
    files.caFile,
    files.caKeyFile,
    files.serverCertFile,
    files.serverKeyFile,
    files.clientCertFile,
    files.clientKeyFile,
  ];
  if (!options.renew && all.every((f) => existsSync(f))) return { ...files, created: false };
  ensurePrivateDir(dir);
  const hosts = options.hosts ?? ['localhost', '127.0.0.1', '::1'];
  const san = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
  const work = mkdtempSync(join(tmpdir(), 'eventkit-tls-'));
  try {
    openssl([
      'req',
      '-x509',
      ...EC,
      '-keyout',
      files.caKeyFile,
      '-out',
      files.caFile,
      '-days',
      DAYS,
      '-subj',
      '/CN=eventkit development CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    const sign = (name: string, keyFile: string, certFile: string, extensions: string) => {
      const csr = join(work, `${name}.csr`);
      const ext = join(work, `${name}.ext`);
      writeFileSync(ext, extensions);
      openssl(['req', ...EC, '-keyout', keyFile, '-out', csr, '-subj', `/CN=${name}`]);
      openssl([
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        files.caFile,
        '-CAkey',
        files.caKeyFile,
        '-set_serial',
        `0x${Date.now().toString(16)}${name.length}`,
        '-days',
        DAYS,
        '-out',
        certFile,
        '-extfile',
        ext,
      ]);
    };
    sign(
      'eventkit-nats-server',
      files.serverKeyFile,
      files.serverCertFile,
      `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n`,
    );
    sign(
      'eventkit-client',
      files.clientKeyFile,
      files.clientCertFile,
      'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n',
    );
    for (const key of [files.caKeyFile, files.serverKeyFile, files.clientKeyFile]) chmodSync(key, 0o600);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { ...files, created: true };
}
