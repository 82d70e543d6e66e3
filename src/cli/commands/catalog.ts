// `eventkit catalog [--out dir] [--serve [--port N]] [--json]`: build the static event catalog site;
// with --serve, serve it on 127.0.0.1 and rebuild when the contracts or catalog content change.
import path from 'node:path';
import type { Command } from 'commander';
import type { BuildProgress, BuildSummary } from '../../catalog/index.ts';
import type { Registry } from '../../model/types.ts';
import { exitCodes } from '../exit-codes.ts';
import { colorsFor, countDiagnostics, formatDiagnosticsByFile } from '../output/index.ts';
import type { RegisterCommand } from './index.ts';

interface CatalogFlags {
  readonly out?: string;
  readonly serve?: boolean;
  readonly port: string;
  readonly json?: boolean;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

type Outcome = { ok: true; summary: BuildSummary } | { ok: false; code: number };

/** Loads the registry and builds the site; prints diagnostics and errors, never throws for user mistakes. */
async function loadAndBuild(cwd: string, out: string | undefined, json: boolean): Promise<Outcome> {
  const err = colorsFor(process.stderr);
  const tty = Boolean(process.stderr.isTTY) && !json;
  const say = (line: string): void => {
    if (!json) process.stderr.write(`${err.dim(`catalog: ${line}`)}\n`);
  };
  // Loaded here, not at the top: `eventkit --help` should not pay for the parser and the site builder.
  const [{ loadConfig, loadRegistry }, { assertOutputReplaceable, buildCatalog, isCatalogError }] =
    await Promise.all([import('../../model/index.ts'), import('../../catalog/index.ts')]);
  const { config, diagnostics: configDiagnostics } = await loadConfig(cwd);
  if (configDiagnostics.some((d) => d.severity === 'error')) {
    process.stderr.write(`${formatDiagnosticsByFile(configDiagnostics, err)}\n`);
    return { ok: false, code: exitCodes.badInput };
  }
  const outDir = out ? path.resolve(cwd, out) : path.resolve(config.root, config.output.catalog);
  try {
    // Check the output folder before the (slow) load, so a wrong --out fails at once.
    assertOutputReplaceable(outDir, config.root);
  } catch (error) {
    if (!isCatalogError(error)) throw error;
    process.stderr.write(`eventkit catalog: ${error.message}\n`);
    return { ok: false, code: exitCodes.badInput };
  }
  say('loading the registry');
  const loaded = await loadRegistry(config, { onProgress: (m) => say(m) });
  const registry: Registry = loaded.registry;
  // Nothing to build is bad input (2), as the help says; checked before the errors, which include "no documents".
  if (registry.services.length === 0) {
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) process.stderr.write(`${formatDiagnosticsByFile(errors, err)}\n`);
    process.stderr.write(
      `eventkit catalog: no AsyncAPI documents found under ${config.root} (${config.asyncapi.join(', ')})\n`,
    );
    return { ok: false, code: exitCodes.badInput };
  }
  const counts = countDiagnostics(loaded.diagnostics);
  if (counts.errors > 0) {
    process.stderr.write(
      `${formatDiagnosticsByFile(
        loaded.diagnostics.filter((d) => d.severity === 'error'),
        err,
      )}\n`,
    );
    process.stderr.write(
      `eventkit catalog: ${counts.errors} error${counts.errors === 1 ? '' : 's'} in the contracts; fix them (see \`eventkit lint\`) — the previous site was left as it was\n`,
    );
    return { ok: false, code: exitCodes.findings };
  }
  let lastLine = 0;
  const onProgress = (p: BuildProgress): void => {
    if (json) return;
    if (p.phase === 'pages') {
      if (tty) process.stderr.write(`\r${err.dim(`catalog: pages ${p.done}/${p.total}`)}`);
      else if (p.done - lastLine >= 2000 || p.done === p.total) {
        lastLine = p.done;
        say(`pages ${p.done}/${p.total}`);
      }
    } else if (p.phase === 'search') {
      say('search index');
    } else if (p.phase === 'assets' && tty) {
      process.stderr.write('\n');
    }
  };
  try {
    const summary = await buildCatalog({ registry, outDir, root: config.root, onProgress });
    for (const w of summary.warnings)
      process.stderr.write(`${err.yellow('warning')} ${w.file}: ${w.message}\n`);
    return { ok: true, summary };
  } catch (error) {
    if (tty) process.stderr.write('\n');
    if (isCatalogError(error)) {
      process.stderr.write(`eventkit catalog: ${error.message}\n`);
      return { ok: false, code: error.code === 'output-unsafe' ? exitCodes.badInput : exitCodes.internal };
    }
    throw error;
  }
}

function printSummary(summary: BuildSummary, json: boolean, cwd: string): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const out = colorsFor(process.stdout);
  const where = path.relative(cwd, summary.outDir) || '.';
  process.stdout.write(
    `${out.green('✓')} catalog built: ${summary.pages} pages (${summary.services} services, ${summary.events} events, ${summary.contexts} contexts), ` +
      `${summary.files} files, ${mb(summary.bytes)} in ${seconds(summary.durationMs)} → ${out.bold(where)}\n`,
  );
}

export const registerCatalog: RegisterCommand = (program, setExitCode) => {
  program
    .command('catalog')
    .description('Build the static event catalog site (services, events, flow, contracts, search)')
    .option('-o, --out <dir>', 'output folder (default: output.catalog from the config, dist/catalog)')
    .option(
      '--serve',
      'serve the site on 127.0.0.1 and rebuild when asyncapi/, contracts/ or catalog/ change',
    )
    .option('--port <n>', 'port for --serve (0 = any free port)', '4173')
    .option('--json', 'print the build summary as JSON on stdout')
    .addHelpText(
      'after',
      '\nThe site is static and works offline from any static host. It builds into a temporary folder and\n' +
        'replaces the output only when complete. Exit codes: 0 built, 1 errors in the contracts (site untouched),\n' +
        '2 bad input (no documents, unsafe --out), 70 internal error.\n' +
        '\nExamples:\n' +
        '  $ eventkit catalog                     build into output.catalog (dist/catalog)\n' +
        '  $ eventkit catalog --serve --port 0    serve on a free port and rebuild on change\n' +
        '  $ eventkit catalog -o /tmp/site --json',
    )
    .action(async (flags: CatalogFlags, command: Command) => {
      const cwd = path.resolve((command.optsWithGlobals() as { cwd: string }).cwd);
      const json = Boolean(flags.json);
      // Digits only: Number('') and Number(' ') are 0, which would serve on a random port.
      const port = /^\d{1,5}$/.test(flags.port) ? Number(flags.port) : Number.NaN;
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        process.stderr.write(
          `eventkit catalog: --port must be a number from 0 to 65535, got "${flags.port}"\n`,
        );
        setExitCode(exitCodes.usage);
        return;
      }
      const first = await loadAndBuild(cwd, flags.out, json);
      if (!first.ok) {
        setExitCode(first.code);
        return;
      }
      printSummary(first.summary, json, cwd);
      if (!flags.serve) {
        setExitCode(exitCodes.ok);
        return;
      }
      const outDir = first.summary.outDir;
      const [{ loadConfig }, { serveStatic, watchSources }] = await Promise.all([
        import('../../model/index.ts'),
        import('../../catalog/index.ts'),
      ]);
      let server: Awaited<ReturnType<typeof serveStatic>>;
      try {
        server = await serveStatic(outDir, { port });
      } catch (error) {
        process.stderr.write(`eventkit catalog: ${error instanceof Error ? error.message : String(error)}\n`);
        setExitCode(exitCodes.unavailable);
        return;
      }
      const { config } = await loadConfig(cwd);
      const folders = ['asyncapi', 'contracts', 'catalog'].map((f) => path.join(config.root, f));
      process.stderr.write(
        `catalog: serving ${server.url} — watching ${folders.map((f) => path.relative(cwd, f) || '.').join(', ')}; Ctrl+C to stop\n`,
      );
      const watcher = watchSources(
        folders,
        async () => {
          const next = await loadAndBuild(cwd, flags.out, json);
          if (next.ok) printSummary(next.summary, json, cwd);
          else process.stderr.write('catalog: still serving the previous site\n');
        },
        { ignore: outDir },
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      watcher.close();
      await server.close();
      setExitCode(exitCodes.ok);
    });
};
