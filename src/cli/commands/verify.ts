// `eventkit verify [--version <v>] [--provider <id...>] [--providers <glob...>] [--json]`: provider
// verification of every pact, recorded in the verification results matrix.
import type { Command } from 'commander';
import { formatDiagnostic } from '../../contracts/diagnostic-format.ts';
import { gitVersion } from '../../contracts/version.ts';
import { exitCodes } from '../exit-codes.ts';
import { colorsFor } from '../output/index.ts';
import type { RegisterCommand } from './index.ts';

interface VerifyFlags {
  readonly version?: string;
  readonly provider?: string[];
  readonly providers?: string[];
  readonly json?: boolean;
  readonly record?: boolean;
  readonly verbose?: boolean;
}

export const registerVerify: RegisterCommand = (program, setExitCode) => {
  program
    .command('verify')
    .description('Verify every consumer pact against its provider: runs the producer’s real commands')
    .option('--version <version>', 'version to record the results under (default: the git commit)')
    .option('--provider <id...>', 'only verify pacts of these providers')
    .option(
      '--providers <glob...>',
      // Spelled out, not imported: the config module pulls in yaml, which `--help` should not pay for.
      'provider contract modules (default: contracts.providers in the config, else **/*.provider.{ts,mts,js,mjs})',
    )
    .option('--no-record', 'do not write the verification results matrix')
    .option('--verbose', 'also print the Pact verifier’s own report (stderr)')
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText(
      'after',
      '\nReads the pacts in <output.pacts>, verifies each against the provider contract module of its provider\n' +
        '(exporting createProviderContract()), records the outcome in <output.results>.\n' +
        'Exit codes: 0 all verified, 1 a verification failed, 2 bad input (malformed pact, unknown participant or\n' +
        'event, unreadable results file; the results file is left unchanged).\n' +
        '\nExamples:\n' +
        '  $ eventkit verify                              verify all pacts, record under the git commit\n' +
        '  $ eventkit verify --provider orders --json     only the pacts of one provider, as JSON\n' +
        '  $ eventkit verify --version 1.4.0 --no-record  try a version without touching the results file',
    )
    .action(async (flags: VerifyFlags, command: Command) => {
      const cwd = (command.optsWithGlobals() as { cwd: string }).cwd;
      const json = flags.json === true;
      // Loaded here, not at the top: `eventkit --help` should not pay for the parser and Pact.
      const { pactPackage, requirePeer } = await import('../../optional-peer.ts');
      requirePeer(pactPackage, 'eventkit verify');
      const [{ loadConfig, providerGlobsOf }, { formatVerification }, { runVerificationIsolated }] =
        await Promise.all([
          import('../../model/index.ts'),
          import('../../contracts/verification-report.ts'),
          import('../../contracts/verify-isolated.ts'),
        ]);
      const { config, diagnostics: configProblems } = await loadConfig(cwd);
      // Every command reads and validates the config the same way: an invalid one is exit 2.
      if (configProblems.length > 0) {
        for (const d of configProblems)
          process.stderr.write(
            `${d.location ? `${d.location.file}:${d.location.line}:${d.location.column} ` : ''}${d.message}${d.hint ? `\n    ${d.hint}` : ''}\n`,
          );
        process.stderr.write('verify: fix eventkit.config.json first; nothing was read or written.\n');
        setExitCode(exitCodes.badInput);
        return;
      }
      const version = flags.version ?? (await gitVersion(config.root));
      if (version === undefined) {
        process.stderr.write('verify: not a git checkout; pass --version <version>\n');
        setExitCode(exitCodes.usage);
        return;
      }
      const err = colorsFor(process.stderr);
      const color = !json && err.isColorSupported;
      const outcome = await runVerificationIsolated(
        {
          root: config.root,
          version,
          providerGlobs: flags.providers ?? [...providerGlobsOf(config)],
          ...(flags.provider === undefined ? {} : { only: flags.provider }),
          record: flags.record !== false,
        },
        {
          onProgress: (message) => process.stderr.write(`${err.dim('verify')} ${message}\n`),
          ...(flags.verbose ? { onVerifierOutput: (chunk: string) => process.stderr.write(chunk) } : {}),
        },
      );
      if (outcome.kind === 'crash') {
        process.stderr.write(`verify: ${outcome.message}\n`);
        setExitCode(exitCodes.internal);
        return;
      }
      if (outcome.kind === 'spec-errors' || outcome.result.status === 'bad-input') {
        const diagnostics = outcome.kind === 'spec-errors' ? outcome.diagnostics : outcome.result.diagnostics;
        if (json) process.stdout.write(`${JSON.stringify({ status: 'bad-input', diagnostics }, null, 2)}\n`);
        for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d, color)}\n`);
        const brokerDown = diagnostics.some((d) => d.ruleId === 'contracts/broker-failed');
        const verifierBroken = diagnostics.some((d) => d.ruleId === 'contracts/verifier-failed');
        process.stderr.write(
          brokerDown
            ? 'verify: the Pact Broker failed; the results file is unchanged.\n'
            : verifierBroken
              ? 'verify: the Pact verifier could not run; the results file is unchanged.\n'
              : 'verify: bad input; nothing was verified and the results file is unchanged.\n',
        );
        setExitCode(
          brokerDown ? exitCodes.unavailable : verifierBroken ? exitCodes.internal : exitCodes.badInput,
        );
        return;
      }
      const { result } = outcome;
      // Warnings (a pact about participants that are not services here) never stop the other pacts.
      for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d, color)}\n`);
      if (json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        process.stdout.write(
          formatVerification(
            result.verifications.flatMap((v) => v.interactions),
            process.stdout.isTTY === true,
          ),
        );
        const seconds = (result.durationMs / 1000).toFixed(1);
        process.stdout.write(
          `verify: ${result.interactions.total - result.interactions.failed}/${result.interactions.total} interactions of ${result.verifications.length} pacts verified at ${version.slice(0, 12)} (${seconds} s)${result.resultsWritten ? `; recorded in ${config.output.results}` : ''}\n`,
        );
      }
      setExitCode(result.status === 'verified' ? exitCodes.ok : exitCodes.findings);
    });
};
