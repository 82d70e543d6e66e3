// `eventkit can-i-deploy --pacticipant <id> --version <v> [--json]`: answers from the verification results.

import path from 'node:path';
import type { Command } from 'commander';
import { gitVersion } from '../../contracts/version.ts';
import { exitCodes } from '../exit-codes.ts';
import type { RegisterCommand } from './index.ts';

interface CanIDeployFlags {
  readonly pacticipant: string;
  readonly version?: string;
  readonly json?: boolean;
}

export const registerCanIDeploy: RegisterCommand = (program, setExitCode) => {
  program
    .command('can-i-deploy')
    .description('Is this version of a service safe to deploy? Answers from the verification results matrix')
    .requiredOption('--pacticipant <id>', 'service id')
    .option('--version <version>', 'version to check (default: the git commit)')
    .option('--json', 'print the answer as JSON on stdout')
    .addHelpText(
      'after',
      '\nExit codes: 0 yes, 1 no, 2 bad input (unknown pacticipant, unreadable results file).\n' +
        '\nExamples:\n' +
        '  $ eventkit can-i-deploy --pacticipant orders                  this commit of orders\n' +
        '  $ eventkit can-i-deploy --pacticipant payments --version 1.4.0 --json',
    )
    .action(async (flags: CanIDeployFlags, command: Command) => {
      const cwd = (command.optsWithGlobals() as { cwd: string }).cwd;
      // Loaded here, not at the top: `eventkit --help` should not pay for the parser and Pact.
      // The modules themselves, not the contracts index: can-i-deploy reads results and never needs Pact.
      const [
        { loadConfig, loadRegistry },
        { canIDeploy, formatDeployAnswer },
        { formatContractsError, isContractsError },
        { readResults },
      ] = await Promise.all([
        import('../../model/index.ts'),
        import('../../contracts/can-i-deploy.ts'),
        import('../../contracts/errors.ts'),
        import('../../contracts/results.ts'),
      ]);
      const { config, diagnostics: configProblems } = await loadConfig(cwd);
      // Every command reads and validates the config the same way: an invalid one is exit 2.
      if (configProblems.length > 0) {
        for (const d of configProblems)
          process.stderr.write(
            `${d.location ? `${d.location.file}:${d.location.line}:${d.location.column} ` : ''}${d.message}${d.hint ? `\n    ${d.hint}` : ''}\n`,
          );
        process.stderr.write('can-i-deploy: fix eventkit.config.json first; nothing was read or written.\n');
        setExitCode(exitCodes.badInput);
        return;
      }
      const version = flags.version ?? (await gitVersion(config.root));
      if (version === undefined) {
        process.stderr.write('can-i-deploy: not a git checkout; pass --version <version>\n');
        setExitCode(exitCodes.usage);
        return;
      }
      // The spec names every service, also those without contracts yet; a broken spec still lets the
      // matrix answer for the names it knows.
      const { registry, diagnostics: specProblems } = await loadRegistry(config).catch(() => ({
        registry: undefined,
        diagnostics: [],
      }));
      const known = registry?.services.map((s) => s.id) ?? [];
      try {
        const matrix = await readResults(path.resolve(config.root, config.output.results), config.root);
        const answer = canIDeploy(matrix, flags.pacticipant, version, known);
        process.stdout.write(
          flags.json ? `${JSON.stringify(answer, null, 2)}\n` : formatDeployAnswer(answer),
        );
        setExitCode(answer.deployable ? exitCodes.ok : exitCodes.findings);
      } catch (error) {
        if (!isContractsError(error)) throw error;
        if (flags.json)
          process.stdout.write(
            `${JSON.stringify({ error: error.message, code: error.code, file: error.file, line: error.line }, null, 2)}\n`,
          );
        process.stderr.write(`can-i-deploy: ${formatContractsError(error)}\n`);
        // A pacticipant unknown because the documents did not load (no document matches the globs, a
        // syntax error): say where, so the fix is not a guess.
        const specErrors = specProblems.filter((d) => d.severity === 'error').slice(0, 3);
        for (const d of specErrors)
          process.stderr.write(
            `  ${d.location ? `${d.location.file}:${d.location.line}:${d.location.column} ` : ''}${d.message} (see \`eventkit lint\`)\n`,
          );
        setExitCode(exitCodes.badInput);
      }
    });
};
