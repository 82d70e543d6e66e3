// `eventkit init [dir] [--service <id>] [--json]`: scaffold a working project for one service.
import path from 'node:path';
import type { Command } from 'commander';
import { exitCodes } from '../exit-codes.ts';
import { colorsFor } from '../output/index.ts';
import { packageVersion } from '../version.ts';
import type { RegisterCommand } from './index.ts';

interface InitFlags {
  readonly service?: string;
  readonly json?: boolean;
}

export const registerInit: RegisterCommand = (program, setExitCode) => {
  program
    .command('init')
    .argument('[dir]', 'project folder (created when missing)', '.')
    .description(
      'Scaffold a project: config, buf.yaml, one service document and proto, scripts, tsconfig, a provider skeleton',
    )
    .option('--service <id>', 'service id (default: the folder name in lower case letters and digits)')
    .option('--json', 'print { root, service, event, files } as JSON on stdout')
    .addHelpText(
      'after',
      '\nWrites eventkit.config.json, contracts/proto/buf.yaml, contracts/proto/<service>/v1/events.proto,\n' +
        'asyncapi/<service>.yaml (an event the service sends and consumes), tsconfig.json, src/<service>/main.ts,\n' +
        'src/<service>/items.ts, test/contracts/<service>.provider.ts; adds scripts to package.json and lines to\n' +
        '.gitignore. Never overwrites a file: exit 2 naming it, nothing written.\n' +
        'Exit codes: 0 written, 2 a file exists or bad input, 64 usage.\n' +
        '\nExamples:\n' +
        '  $ eventkit init                         this folder, service named after it\n' +
        '  $ eventkit init billing --service billing --json',
    )
    .action(async (dir: string, flags: InitFlags, command: Command) => {
      const cwd = (command.optsWithGlobals() as { cwd: string }).cwd;
      const { initProject, isScaffoldError } = await import('../../scaffold/index.ts');
      try {
        const result = await initProject(path.resolve(cwd, dir), {
          ...(flags.service === undefined ? {} : { service: flags.service }),
          eventkitVersion: packageVersion(),
        });
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        const out = colorsFor(process.stdout);
        for (const file of result.files) process.stdout.write(`  ${out.green(file.action)} ${file.path}\n`);
        for (const script of result.keptScripts)
          process.stdout.write(`  ${out.dim(`kept your package.json script "${script}"`)}\n`);
        const where = path.relative(process.cwd(), result.root) || '.';
        process.stdout.write(
          `${out.green('✓')} service ${result.service} scaffolded in ${where} (event ${result.event}). Next:\n` +
            `  npm install --save-dev typescript @types/node     # to build the service\n` +
            `  npx eventkit lint && npx eventkit codegen\n` +
            `  npx eventkit add event ${result.service}.v1.<Name>   # more events\n`,
        );
      } catch (error) {
        if (!isScaffoldError(error)) throw error;
        if (flags.json)
          process.stdout.write(
            `${JSON.stringify({ error: error.message, file: error.file ?? null }, null, 2)}\n`,
          );
        process.stderr.write(`init: ${error.message}\n`);
        setExitCode(exitCodes.badInput);
      }
    });
};
