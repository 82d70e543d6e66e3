// `eventkit lint [--json] [--timing] [--summary] [--no-buf]`: spec and design rules over the whole project.
import type { Command } from 'commander';
import type { Diagnostic, Registry } from '../../model/types.ts';
import { exitCodes } from '../exit-codes.ts';
import {
  colorsFor,
  countDiagnostics,
  formatDiagnosticsByFile,
  formatRegistrySummary,
  formatSummaryLine,
  summarizeRegistry,
} from '../output/index.ts';
import type { RegisterCommand } from './index.ts';

interface LintFlags {
  readonly json?: boolean;
  readonly timing?: boolean;
  readonly summary?: boolean;
  readonly buf: boolean;
}

export const registerLint: RegisterCommand = (program, setExitCode) => {
  program
    .command('lint')
    .description(
      'Check the AsyncAPI documents and proto files: spec validity, references, eventkit conventions, design rules, buf lint',
    )
    .option('--json', 'print { diagnostics, summary } as JSON on stdout')
    .option('--timing', 'print how long loading and linting took')
    .option('--summary', 'also print the registry: services, events per context, streams, consumers')
    .option('--no-buf', 'skip `buf lint` over the proto roots')
    .addHelpText(
      'after',
      '\nRule severities come from "rules" in eventkit.config.json ("off" | "warning" | "error").\n' +
        'Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 nothing could be read (invalid config, no documents).\n' +
        '\nExamples:\n' +
        '  $ eventkit lint                        everything, including buf lint\n' +
        '  $ eventkit lint --no-buf --timing      skip buf, show where the time went\n' +
        '  $ eventkit -C ../shop lint --json      another project, machine-readable',
    )
    .action(async (flags: LintFlags, command: Command) => {
      const cwd = (command.optsWithGlobals() as { cwd: string }).cwd;
      // Loaded here, not at the top: `eventkit <other command> --help` should not pay for the AsyncAPI parser.
      const { lint, loadConfig, loadRegistry } = await import('../../model/index.ts');
      const out = colorsFor(process.stdout);
      const err = colorsFor(process.stderr);
      const progress =
        process.stderr.isTTY && !flags.json
          ? (step: string) => process.stderr.write(`${err.dim(`lint: ${step}`)}\n`)
          : undefined;
      const started = performance.now();
      const { config, diagnostics: configDiagnostics } = await loadConfig(cwd);
      const configMs = performance.now() - started;
      let diagnostics: Diagnostic[] = [...configDiagnostics];
      let loadMs = 0;
      // CPU time as well as wall time: on a busy machine wall time says little about eventkit.
      let loadCpuMs = 0;
      let lintMs = 0;
      let readable = configDiagnostics.length === 0;
      let registry: Registry | undefined;
      if (readable) {
        const loadStart = performance.now();
        const cpuStart = process.cpuUsage();
        const loaded = await loadRegistry(config, progress ? { onProgress: progress } : {});
        loadMs = performance.now() - loadStart;
        const cpu = process.cpuUsage(cpuStart);
        loadCpuMs = (cpu.user + cpu.system) / 1000;
        registry = loaded.registry;
        readable = registry.services.length > 0;
        progress?.(flags.buf ? 'design rules and buf lint' : 'design rules');
        const lintStart = performance.now();
        diagnostics = await lint(loaded, { buf: flags.buf && config.bufLint });
        lintMs = performance.now() - lintStart;
      }
      const counts = countDiagnostics(diagnostics);
      const timing = {
        configMs: Math.round(configMs),
        loadMs: Math.round(loadMs),
        loadCpuMs: Math.round(loadCpuMs),
        lintMs: Math.round(lintMs),
        totalMs: Math.round(performance.now() - started),
      };
      if (flags.json) {
        const summary = {
          ...counts,
          ...(registry
            ? {
                services: registry.services.length,
                events: registry.events.length,
                operations: registry.operations.length,
                streams: registry.streams.length,
              }
            : {}),
        };
        const payload = {
          diagnostics,
          summary,
          ...(flags.summary && registry ? { registry: summarizeRegistry(registry) } : {}),
          ...(flags.timing ? { timing } : {}),
        };
        process.stdout.write(`${JSON.stringify(payload, null, 2)}\n`);
      } else {
        const blocks: string[] = [];
        if (diagnostics.length > 0) blocks.push(formatDiagnosticsByFile(diagnostics, out));
        if (flags.summary && registry) blocks.push(formatRegistrySummary(summarizeRegistry(registry), out));
        const scope = registry
          ? ` — ${registry.services.length} services, ${registry.events.length} messages, ${registry.streams.length} streams`
          : '';
        blocks.push(`${formatSummaryLine(counts, out)}${out.dim(scope)}`);
        if (flags.timing) {
          blocks.push(
            out.dim(
              `registry loaded in ${timing.loadMs} ms (${timing.loadCpuMs} ms CPU; config ${timing.configMs} ms); rules${flags.buf && config.bufLint ? ' + buf' : ''} ${timing.lintMs} ms; total ${timing.totalMs} ms`,
            ),
          );
        }
        process.stdout.write(`${blocks.join('\n\n')}\n`);
        if (!readable && diagnostics.length === 0)
          process.stderr.write('eventkit lint: no AsyncAPI documents could be read\n');
      }
      setExitCode(!readable ? exitCodes.badInput : counts.errors > 0 ? exitCodes.findings : exitCodes.ok);
    });
};
