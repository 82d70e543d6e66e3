// `eventkit codegen [--check] [--json] [--service <id...>]`: typed code for every service document.
import { type Stats, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CodegenResult } from '../../codegen/index.ts';
import type { Diagnostic } from '../../model/types.ts';
import { exitCodes } from '../exit-codes.ts';
import { colorsFor } from '../output/index.ts';
import type { RegisterCommand } from './index.ts';

// Everything codegen prints for people goes to stderr (stdout is for --json).
const pc = colorsFor(process.stderr);

interface CodegenFlags {
  readonly check?: boolean;
  readonly json?: boolean;
  readonly service?: string[];
  readonly emitInput?: string;
}

const exitCodeOf = {
  usage: exitCodes.usage,
  input: exitCodes.badInput,
  internal: exitCodes.internal,
} as const;

function formatDiagnostic(diagnostic: Diagnostic): string {
  const where = diagnostic.location
    ? `${diagnostic.location.file}:${diagnostic.location.line}:${diagnostic.location.column} `
    : '';
  const severity = diagnostic.severity === 'error' ? pc.red('error') : pc.yellow(diagnostic.severity);
  const hint = diagnostic.hint ? `\n    ${pc.dim(diagnostic.hint)}` : '';
  return `${where}${severity} ${diagnostic.message} ${pc.dim(diagnostic.ruleId)}${hint}`;
}

function summary(result: CodegenResult, check: boolean): string {
  const files = result.services.reduce((sum, service) => sum + service.files, 0);
  const seconds = (result.durationMs / 1000).toFixed(2);
  const services = `${result.services.length} service${result.services.length === 1 ? '' : 's'}`;
  if (check) {
    return result.stale.length === 0
      ? `codegen --check: ${services}, ${files} files up to date (${seconds} s)`
      : `codegen --check: ${result.stale.length} stale file(s) in ${services} (${seconds} s)`;
  }
  const written =
    result.written.length === 0 ? 'nothing changed' : `${result.written.length} folder(s) updated`;
  return `codegen: ${services}, ${files} files, ${written} (${seconds} s)`;
}

/** Why `dir` cannot hold the template inputs (it exists and is not a folder), or undefined. */
function notAFolder(dir: string): string | undefined {
  let stats: Stats;
  try {
    stats = statSync(dir);
  } catch {
    return undefined; // created on demand
  }
  return stats.isDirectory()
    ? undefined
    : `${dir} exists and is not a folder; name a folder (it is created if missing)`;
}

export const registerCodegen: RegisterCommand = (program, setExitCode) => {
  program
    .command('codegen')
    .description(
      'Generate typed publishers, handlers, request/reply helpers, payload types and examples per service',
    )
    .option('--check', 'compare with the committed generated code and fail when it is stale (CI drift check)')
    .option('--json', 'print the result as JSON on stdout')
    .option('--service <id...>', 'only these services')
    .option(
      '--emit-input <dir>',
      "also write each service's template input (<service>.input.json) for standard AsyncAPI tooling",
    )
    .addHelpText(
      'after',
      '\nWrites <output.codegen>/<service>/generated/ for every AsyncAPI document. Exit codes: 0 done / up to date,\n' +
        '1 stale generated code (--check), 2 the specs have errors (nothing is written), 64 unknown service,\n' +
        '70 a bug in the generator template.\n' +
        '\nExamples:\n' +
        '  $ eventkit codegen                       (re)generate every service\n' +
        '  $ eventkit codegen --service orders      one service\n' +
        '  $ eventkit codegen --check --json        CI drift check',
    )
    .action(async (flags: CodegenFlags, command: Command) => {
      const cwd = (command.optsWithGlobals() as { cwd: string }).cwd;
      const json = flags.json === true;
      const check = flags.check === true;
      const inputDir = flags.emitInput === undefined ? undefined : path.resolve(cwd, flags.emitInput);
      const inputDirProblem = inputDir === undefined ? undefined : notAFolder(inputDir);
      if (inputDirProblem !== undefined) {
        process.stderr.write(`codegen: --emit-input ${inputDirProblem}; nothing was written\n`);
        setExitCode(exitCodes.usage);
        return;
      }
      // Loaded here, not at the top: `eventkit --help` should not pay for the parser and the generator.
      const [
        { loadConfig, loadRegistry, protocolOf, usesJetStream },
        { isCodegenError, payloadOnlyEvents, runCodegen },
      ] = await Promise.all([import('../../model/index.ts'), import('../../codegen/index.ts')]);
      const { config, diagnostics: configDiagnostics } = await loadConfig(cwd);
      const { registry, diagnostics } = await loadRegistry(config, {
        onProgress: (step) => process.stderr.write(`${pc.dim(`registry: ${step}`)}\n`),
      });
      const errors = [...configDiagnostics, ...diagnostics].filter(
        (diagnostic) => diagnostic.severity === 'error',
      );
      if (errors.length > 0) {
        if (json) process.stdout.write(`${JSON.stringify({ ok: false, diagnostics: errors }, null, 2)}\n`);
        for (const diagnostic of errors) process.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
        process.stderr.write(
          `codegen: ${errors.length} error(s) in the specs; nothing was written. Fix them (see \`eventkit lint\`).\n`,
        );
        setExitCode(exitCodes.badInput);
        return;
      }
      const warnings = diagnostics.filter((diagnostic) => diagnostic.severity === 'warning').length;
      if (warnings > 0)
        process.stderr.write(`${pc.yellow(`${warnings} warning(s) in the specs`)} (see \`eventkit lint\`)\n`);
      let result: CodegenResult;
      try {
        result = await runCodegen(registry, {
          check,
          ...(flags.service ? { services: flags.service } : {}),
          ...(inputDir !== undefined ? { inputDir } : {}),
          onProgress: (progress) => {
            const time = `${Math.round(progress.durationMs)} ms`;
            const service = registry.services.find((candidate) => candidate.id === progress.service);
            const protocol = protocolOf(service?.servers ?? []);
            // Say so when a service gets payload types and examples only (its protocol is not NATS).
            const only = usesJetStream(protocol)
              ? ''
              : ` ${pc.yellow(`payload types and examples only (${protocol}: eventkit publishes and consumes on NATS)`)}`;
            process.stderr.write(
              `${pc.dim('codegen')} ${progress.service.padEnd(16)} ${progress.document.padEnd(28)} ${String(progress.files).padStart(3)} files ${pc.dim(time)}${only}\n`,
            );
            // Payload formats the runtime cannot encode (Avro): types and examples only, never in silence.
            const payloadOnly = payloadOnlyEvents(registry, progress.service);
            if (payloadOnly.length > 0)
              process.stderr.write(
                `  ${pc.yellow(`Avro payloads, types and examples only (eventkit's runtime has no Avro codec: no descriptor, publisher or handler): ${payloadOnly.map((event) => event.type).join(', ')}`)}\n`,
              );
          },
        });
      } catch (error) {
        if (!isCodegenError(error)) throw error;
        if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: error.message }, null, 2)}\n`);
        process.stderr.write(`codegen: ${error.message}\n`);
        setExitCode(exitCodeOf[error.kind]);
        return;
      }
      const stale = check && result.stale.length > 0;
      if (json) {
        process.stdout.write(
          `${JSON.stringify(
            {
              ok: !stale,
              check,
              durationMs: Math.round(result.durationMs),
              services: result.services.map((service) => ({
                service: service.service,
                document: service.document,
                outputDir: service.outputDir,
                files: service.files,
                ...service.difference,
              })),
              stale: check ? result.stale : [],
              written: result.written,
            },
            null,
            2,
          )}\n`,
        );
      }
      if (stale) {
        for (const file of result.stale) process.stderr.write(`  ${pc.red('stale')} ${file}\n`);
        process.stderr.write('Run `eventkit codegen` and commit the result.\n');
      }
      process.stderr.write(`${summary(result, check)}\n`);
      setExitCode(stale ? exitCodes.findings : exitCodes.ok);
    });
};
