// `eventkit breaking --against <git-ref | dir>`: breaking-change check of the contracts (src/compat).
import path from 'node:path';
import type { Command } from 'commander';
import type { ProjectLoader } from '../../compat/index.ts';
import type { Diagnostic } from '../../model/types.ts';
import { exitCodes } from '../exit-codes.ts';
import { colorsFor } from '../output/index.ts';
import type { RegisterCommand } from './index.ts';

interface BreakingOptions {
  against: string;
  history: string[];
  json?: boolean;
  breakingOnly?: boolean;
}

/** eventkit's own loader: config (walking up from the folder) then the registry. */
const loadProject: ProjectLoader = async (root) => {
  const { loadConfig, loadRegistry } = await import('../../model/index.ts');
  const { config, diagnostics: configDiagnostics } = await loadConfig(root);
  const { registry, diagnostics } = await loadRegistry(config);
  return { config, registry, diagnostics: [...configDiagnostics, ...diagnostics] };
};

function describeDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${d.location.file}:${d.location.line}:${d.location.column}: ` : '';
  return `${where}${d.severity} ${d.ruleId}: ${d.message}${d.hint ? `\n    hint: ${d.hint}` : ''}`;
}

export const registerBreaking: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('breaking')
    .description(
      'Check the contracts for breaking changes against a git ref or a folder (buf WIRE_JSON, AsyncAPI, JSON Schema)',
    )
    .requiredOption(
      '--against <ref|dir>',
      'git ref (branch, tag, commit) or project folder to compare with (`git:`/`dir:` to force)',
    )
    .option(
      '--history <ref|dir>',
      'older version for *_TRANSITIVE JSON Schema modes (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--json', 'print the report as JSON')
    .option('--breaking-only', 'list breaking changes only (human output)')
    .addHelpText(
      'after',
      '\nExit codes: 0 compatible, 1 breaking change to a published event, 2 bad input (unknown ref, load errors).\nRules: src/compat/README.md\n' +
        '\nExamples:\n' +
        '  $ eventkit breaking --against main                  compare with the main branch\n' +
        '  $ eventkit breaking --against v1.2.0 --breaking-only\n' +
        '  $ eventkit breaking --against dir:../shop-old --json',
    )
    .action(async (options: BreakingOptions, command: Command) => {
      const globals = command.optsWithGlobals<{ cwd: string }>();
      const cwd = path.resolve(globals.cwd);
      // Loaded here, not at the top: `eventkit --help` should not pay for the parser and buf.
      const { checkBreaking, formatReport, isCompatError } = await import('../../compat/index.ts');
      try {
        const { report, diagnostics } = await checkBreaking({
          cwd,
          against: options.against,
          history: options.history,
          load: loadProject,
          progress: (line) => process.stderr.write(`eventkit breaking: ${line}\n`),
        });
        for (const d of diagnostics) process.stderr.write(`${describeDiagnostic(d)}\n`);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        } else {
          process.stdout.write(
            formatReport(report, {
              showNonBreaking: !options.breakingOnly,
              color: colorsFor(process.stdout),
            }),
          );
        }
        setExitCode(report.compatible ? exitCodes.ok : exitCodes.findings);
      } catch (error) {
        if (!isCompatError(error)) throw error;
        process.stderr.write(`eventkit breaking: ${error.message}\n`);
        for (const d of error.diagnostics) process.stderr.write(`  ${describeDiagnostic(d)}\n`);
        if (error.hint) process.stderr.write(`  hint: ${error.hint}\n`);
        if (options.json) {
          process.stdout.write(
            `${JSON.stringify({ error: { code: error.code, message: error.message, hint: error.hint, diagnostics: error.diagnostics } }, null, 2)}\n`,
          );
        }
        setExitCode(exitCodes.badInput);
      }
    });
};
