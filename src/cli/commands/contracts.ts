// `eventkit contracts [--json]`: cross-check of the pacts against the AsyncAPI documents, plus coverage.
import path from 'node:path';
import type { Command } from 'commander';
import { formatDiagnostic } from '../../contracts/diagnostic-format.ts';
import { exitCodes } from '../exit-codes.ts';
import type { RegisterCommand } from './index.ts';

export const registerContracts: RegisterCommand = (program, setExitCode) => {
  program
    .command('contracts')
    .description(
      'Cross-check the pacts against the AsyncAPI documents and report events received without a contract',
    )
    .option('--json', 'print diagnostics and coverage as JSON on stdout')
    .addHelpText(
      'after',
      '\nEach interaction must be a receive operation of its consumer and a send operation of its provider, its\n' +
        'example body must fit the payload schema and its subject the channel address.\n' +
        'Exit codes: 0 clean, 1 findings, 2 bad input (malformed pact, unknown participant or event, spec errors).\n' +
        '\nExamples:\n' +
        '  $ eventkit contracts           diagnostics and contract coverage\n' +
        '  $ eventkit contracts --json    the same as JSON (CI)',
    )
    .action(async (flags: { json?: boolean }, command: Command) => {
      const cwd = (command.optsWithGlobals() as { cwd: string }).cwd;
      const json = flags.json === true;
      const color = !json && process.stderr.isTTY === true;
      // Loaded here, not at the top: `eventkit --help` should not pay for the parser and Pact.
      const [
        { loadConfig, loadRegistry },
        { badInputRules, crossCheck },
        { readPactDir },
        { errorToDiagnostic },
      ] = await Promise.all([
        import('../../model/index.ts'),
        // The modules themselves, not the contracts index: the cross-check reads pacts and never needs Pact.
        import('../../contracts/cross-check.ts'),
        import('../../contracts/pact-file.ts'),
        import('../../contracts/errors.ts'),
      ]);
      const { config, diagnostics: configDiagnostics } = await loadConfig(cwd);
      const { registry, diagnostics } = await loadRegistry(config);
      const specErrors = [...configDiagnostics, ...diagnostics].filter((d) => d.severity === 'error');
      const { pacts, errors } = await readPactDir(
        path.resolve(config.root, config.output.pacts),
        config.root,
      );
      const badInput = [...specErrors, ...errors.map(errorToDiagnostic)];
      const result = crossCheck(registry, pacts);
      const all = [...badInput, ...result.diagnostics];
      const output = {
        pacts: pacts.length,
        interactions: result.interactions,
        coverage: result.coverage,
        diagnostics: all,
      };
      if (json) process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
      else {
        for (const d of all) process.stdout.write(`${formatDiagnostic(d, color)}\n`);
        const errorCount = all.filter((d) => d.severity === 'error').length;
        process.stdout.write(
          `contracts: ${pacts.length} pacts, ${result.interactions} interactions; ${result.coverage.covered}/${result.coverage.total} received events have a consumer contract; ${errorCount} error(s)\n`,
        );
      }
      if (badInput.length > 0 || result.diagnostics.some((d) => badInputRules.has(d.ruleId)))
        setExitCode(exitCodes.badInput);
      else if (result.diagnostics.some((d) => d.severity === 'error')) setExitCode(exitCodes.findings);
      else setExitCode(exitCodes.ok);
    });
};
