// `eventkit auth [--secrets <dir>] [--out <file>] [--tls] [--rotate <user...>] [--check <file>] [--json]`:
// NATS users and least-privilege permissions from the AsyncAPI documents, as a nats-server config.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { exitCodes } from '../exit-codes.ts';
import { colorsFor, formatDiagnosticsByFile, formatTable } from '../output/index.ts';
import type { RegisterCommand } from './index.ts';

interface AuthFlags {
  readonly secrets?: string;
  readonly out?: string;
  readonly tls?: boolean;
  readonly rotate?: string[];
  readonly check?: string;
  readonly json?: boolean;
}

export const registerAuth: RegisterCommand = (program, setExitCode) => {
  program
    .command('auth')
    .description(
      'Generate nats-server users (nkeys) and least-privilege permissions from the AsyncAPI documents',
    )
    .option(
      '--secrets <dir>',
      'folder for seeds, env files and certificates (default: outside the repository)',
    )
    .option('--out <file>', 'where to write the authorization config (default: <secrets>/auth.conf)')
    .option('--tls', 'also write a development CA and server/client certificates to <secrets>/tls (openssl)')
    .option(
      '--rotate <user...>',
      'give these users a new key (the old one stops working after a server reload)',
    )
    .option(
      '--check <file>',
      'compare a deployed authorization config with the spec instead of writing (drift)',
    )
    .option('--json', 'print users, permissions and files (or the drift) as JSON on stdout')
    .addHelpText(
      'after',
      '\nOne user per service: it may publish its send operations and requests, pull/ack/inspect only its own\n' +
        'durables, dead-letter under deadletter.<service>.>, subscribe to the requests it answers and to its own\n' +
        'inbox prefix _INBOX_<service>. Plus eventkit-admin (the JetStream API: eventkit provision), eventkit-monitor\n' +
        '(read only) and eventkit-clients (requests no service sends, e.g. PlaceOrder from a web front end).\n' +
        'Seeds are kept between runs (mode 0600); the config changes only when the spec or a key does.\n' +
        'Each user gets <secrets>/<user>.env with NATS_NKEY_SEED_FILE and NATS_INBOX_PREFIX (and NATS_CA, NATS_CERT,\n' +
        'NATS_KEY with --tls), the variables the runtime reads. Include the config from nats-server.conf:\n' +
        '  include "auth.conf"\n' +
        'Exit codes: 0 written / no drift, 1 drift found, 2 documents or deployed config unreadable, 64 bad usage.\n' +
        '\nExamples:\n' +
        '  $ eventkit auth                                   users, keys and auth.conf in the default secrets folder\n' +
        '  $ eventkit auth --tls --secrets /etc/eventkit     also a development CA and certificates\n' +
        '  $ eventkit auth --rotate payments                 new key for payments; reload the server afterwards\n' +
        '  $ eventkit auth --check /etc/nats/auth.conf       drift between the spec and the deployed config',
    )
    .action(async (flags: AuthFlags, command: Command) => {
      const cwd = (command.optsWithGlobals() as { cwd: string }).cwd;
      const out = colorsFor(process.stdout);
      const err = colorsFor(process.stderr);
      const [{ existsSync, readFileSync }, auth, { hasErrors, loadConfig, loadRegistry }] = await Promise.all(
        [import('node:fs'), import('../../auth/index.ts'), import('../../model/index.ts')],
      );
      const { config, diagnostics: configDiagnostics } = await loadConfig(cwd);
      if (hasErrors(configDiagnostics)) {
        process.stderr.write(`${formatDiagnosticsByFile(configDiagnostics, err)}\n`);
        setExitCode(exitCodes.badInput);
        return;
      }
      const { registry, diagnostics } = await loadRegistry(config);
      if (hasErrors(diagnostics) || registry.services.length === 0) {
        process.stderr.write(
          `${formatDiagnosticsByFile(
            diagnostics.filter((d) => d.severity === 'error'),
            err,
          )}\neventkit auth: ${registry.services.length === 0 ? 'no AsyncAPI documents found' : 'fix the errors above (see `eventkit lint`) first'}\n`,
        );
        setExitCode(exitCodes.badInput);
        return;
      }
      const secretsDir = resolve(cwd, flags.secrets ?? auth.defaultSecretsDir(config.root));
      try {
        const users = auth.permissionsFromRegistry(registry);
        const unknownRotate = (flags.rotate ?? []).filter((name) => !users.some((u) => u.name === name));
        if (unknownRotate.length > 0) {
          process.stderr.write(
            `eventkit auth: --rotate ${unknownRotate.join(', ')}: no such user; users are ${users.map((u) => u.name).join(', ')}\n`,
          );
          setExitCode(exitCodes.usage);
          return;
        }
        if (flags.check) {
          const file = resolve(cwd, flags.check);
          if (!existsSync(file)) {
            process.stderr.write(`eventkit auth: ${file} does not exist (the deployed config to check)\n`);
            setExitCode(exitCodes.badInput);
            return;
          }
          const localKeys = new Map<string, string>();
          for (const user of users) {
            const key = existsSync(secretsDir) ? auth.readUserKey(secretsDir, user.name) : undefined;
            if (key) localKeys.set(user.name, key);
          }
          const drift = auth.authDrift(users, readFileSync(file, 'utf8'), file, localKeys);
          if (flags.json) process.stdout.write(`${JSON.stringify({ file, drift }, null, 2)}\n`);
          else if (drift.length === 0)
            process.stdout.write(
              `${out.green('✔')} ${file} grants exactly what the spec does (${users.length} users)\n`,
            );
          else
            process.stdout.write(
              `${drift.map((d) => `${out.red('✘')} ${d.message}`).join('\n')}\n${drift.length} difference(s); regenerate with \`eventkit auth\` and reload the server\n`,
            );
          setExitCode(drift.length === 0 ? exitCodes.ok : exitCodes.findings);
          return;
        }
        const secretsInRepo = auth.isInsideProject(config.root, secretsDir);
        const result = auth.generateAuth(registry, {
          secretsDir,
          ...(flags.out ? { configFile: resolve(cwd, flags.out) } : {}),
          rotate: new Set(flags.rotate ?? []),
          tls: Boolean(flags.tls),
        });
        if (flags.json) {
          process.stdout.write(
            `${JSON.stringify(
              {
                configFile: result.configFile,
                secretsDir,
                users: result.users.map((u) => ({
                  ...u,
                  publicKey: result.keys.find((k) => k.user === u.name)?.publicKey,
                  envFile: result.envFiles.get(u.name),
                  newKey: result.keys.find((k) => k.user === u.name)?.created ?? false,
                })),
                ...(result.tls ? { tls: result.tls } : {}),
              },
              null,
              2,
            )}\n`,
          );
        } else {
          const rows = result.users.map((u) => [
            u.name,
            u.role,
            String(u.publish.length),
            String(u.subscribe.length),
            u.allowResponses ? 'yes' : '',
            result.keys.find((k) => k.user === u.name)?.created ? out.yellow('new') : out.dim('kept'),
          ]);
          process.stdout.write(
            `${formatTable(['user', 'role', 'publish', 'subscribe', 'answers', 'key'], rows, out)}\n\n` +
              `config   ${result.configFile}\nsecrets  ${secretsDir} (seeds and env files, mode 0600)\n` +
              (result.tls ? `tls      ${result.tls.dir} (CA, server and client certificates)\n` : '') +
              'Include the config from nats-server.conf (include "auth.conf"); each process loads its <user>.env.\n',
          );
        }
        if (secretsInRepo)
          process.stderr.write(
            `${err.yellow('warning')} ${secretsDir} is inside the project: make sure git ignores it (seeds are secrets)\n`,
          );
        setExitCode(exitCodes.ok);
      } catch (error) {
        if (!auth.isAuthError(error)) throw error;
        process.stderr.write(`eventkit auth: ${error.message}\n`);
        setExitCode(exitCodes.badInput);
      }
    });
};
