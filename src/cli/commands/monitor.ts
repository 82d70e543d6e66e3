// `eventkit monitor [--server <url>] [--duration 30s] [--from-start] [--json]`: watch live traffic and check
// every message against the AsyncAPI documents (type, subject, partition key, headers, payload, sender,
// retired versions). Exit 1 when any violation was seen.
import type { NatsConnection } from '@nats-io/nats-core';
import { type Command, InvalidArgumentError } from 'commander';
import type { Monitor, MonitorStats, Violation } from '../../monitor/index.ts';
import { exitCodes } from '../exit-codes.ts';
import { colorsFor, formatDiagnosticsByFile } from '../output/index.ts';
import type { RegisterCommand } from './index.ts';
import { liveScreen, summaryText, violationLine } from './monitor-view.ts';

interface MonitorFlags {
  readonly server?: string;
  readonly duration?: string;
  readonly fromStart?: boolean;
  readonly json?: boolean;
}

const DEFAULT_SERVER = 'nats://127.0.0.1:4222';
const REFRESH_MS = 1_000;

async function parseDurationFlag(value: string): Promise<number> {
  const { parseDuration } = await import('../../model/durations.ts');
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0)
    throw new InvalidArgumentError('expected a duration such as 30s, 2m or 500ms');
  return ms;
}

export const registerMonitor: RegisterCommand = (program, setExitCode) => {
  program
    .command('monitor')
    .description('Check live traffic on a NATS server against the AsyncAPI documents')
    .option('--server <url>', `NATS server (default: NATS_URL or ${DEFAULT_SERVER})`)
    .option('--duration <time>', 'stop after this long (30s, 2m, …); default: until Ctrl-C')
    .option('--from-start', 'also check what the streams already hold (default: new messages only)')
    .option('--json', 'one JSON line per violation, then a summary line')
    .addHelpText(
      'after',
      '\nListens with one ordered consumer per declared stream (ephemeral, never acks: services lose nothing)\n' +
        'and plain subscriptions on command/query subjects. Each message is checked for: a known ce-type; a\n' +
        "subject that matches the event's channel address and a partition key equal to its payload field; the\n" +
        'required CloudEvents headers, present and well formed; a payload that decodes and validates; ce-source\n' +
        "being the event's declared sender; a version that is not retired (version-retirable).\n" +
        'On a terminal the view is redrawn in place; piped, it prints one line per violation and a summary.\n' +
        'Exit codes: 0 no violations, 1 violations seen, 2 documents cannot be read, 64 bad usage, 69 NATS unreachable.\n' +
        '\nExamples:\n' +
        '  $ eventkit monitor                                       watch nats://127.0.0.1:4222 until Ctrl-C\n' +
        '  $ eventkit monitor --server nats://staging:4222 --duration 30s   CI smoke test: exit 1 on any violation\n' +
        '  $ eventkit monitor --from-start --duration 10s           check what the streams already hold\n' +
        '  $ eventkit monitor --json --duration 1m | jq \'select(.record == "violation")\'',
    )
    .action(async (flags: MonitorFlags, command: Command) => {
      const cwd = (command.optsWithGlobals() as { cwd: string }).cwd;
      const out = colorsFor(process.stdout);
      const err = colorsFor(process.stderr);
      const durationText = flags.duration;
      let durationMs: number | undefined;
      if (durationText !== undefined) {
        try {
          durationMs = await parseDurationFlag(durationText);
        } catch (error) {
          process.stderr.write(`eventkit monitor: --duration ${durationText}: ${(error as Error).message}\n`);
          setExitCode(exitCodes.usage);
          return;
        }
      }
      const [
        { hasErrors, loadConfig, loadRegistry },
        { isTransportError },
        { startMonitor, summarize },
        { connectNats },
      ] = await Promise.all([
        import('../../model/index.ts'),
        import('../../runtime/errors.ts'),
        import('../../monitor/index.ts'),
        import('../../runtime/transports/jetstream.ts'),
      ]);
      const live = Boolean(process.stdout.isTTY) && !flags.json;
      const progress = (step: string) => {
        if (process.stderr.isTTY || !flags.json) process.stderr.write(`${err.dim(`monitor: ${step}`)}\n`);
      };
      const { config, diagnostics: configDiagnostics } = await loadConfig(cwd);
      if (hasErrors(configDiagnostics)) {
        process.stderr.write(`${formatDiagnosticsByFile(configDiagnostics, err)}\n`);
        setExitCode(exitCodes.badInput);
        return;
      }
      const server = flags.server ?? process.env.NATS_URL ?? DEFAULT_SERVER;
      progress(`connecting to ${server}`);
      let nc: NatsConnection;
      try {
        nc = await connectNats({ servers: server, name: 'eventkit monitor', connectTimeoutMs: 5_000 });
      } catch (error) {
        const reason = isTransportError(error) ? error.message : String(error);
        process.stderr.write(
          `eventkit monitor: ${reason}\nPoint --server or NATS_URL at a running server.\n`,
        );
        setExitCode(exitCodes.unavailable);
        return;
      }
      progress('loading the registry');
      const { registry, diagnostics } = await loadRegistry(config);
      if (hasErrors(diagnostics) || registry.services.length === 0) {
        if (diagnostics.length > 0)
          process.stderr.write(
            `${formatDiagnosticsByFile(
              diagnostics.filter((d) => d.severity === 'error'),
              err,
            )}\n`,
          );
        process.stderr.write(
          'eventkit monitor: fix the errors above (see `eventkit lint`): the monitor checks against them\n',
        );
        setExitCode(exitCodes.badInput);
        return;
      }
      let monitor: Monitor;
      try {
        monitor = await startMonitor({
          connection: nc,
          registry,
          fromStart: Boolean(flags.fromStart),
          onViolation: (v: Violation) => {
            if (flags.json) process.stdout.write(`${JSON.stringify({ record: 'violation', ...v })}\n`);
            else if (!live) process.stdout.write(`${violationLine(v, out)}\n`);
          },
        });
      } catch (error) {
        await nc.close().catch(() => undefined);
        process.stderr.write(
          `eventkit monitor: cannot listen on ${server}: ${(error as Error).message}; is JetStream enabled (nats-server -js)?\n`,
        );
        setExitCode(exitCodes.unavailable);
        return;
      }
      for (const source of monitor.stats().sources)
        if (source.problem) progress(`${source.kind} ${source.name}: ${source.problem}`);
      progress(
        `checking ${monitor.stats().sources.filter((s) => !s.problem).length} stream(s) and subject(s)` +
          `${durationMs ? ` for ${durationText}` : ' until Ctrl-C'}`,
      );

      let previous: { stats: MonitorStats; at: number } | undefined;
      const draw = () => {
        const stats = monitor.stats();
        const now = Date.now();
        // Home, clear to end of screen, redraw: the view stays in place.
        process.stdout.write(`\x1b[H\x1b[J${liveScreen(stats, previous, server, out, now)}\n`);
        previous = { stats, at: now };
      };
      const timer = live ? setInterval(draw, REFRESH_MS) : undefined;
      if (live) draw();
      await new Promise<void>((resolve) => {
        const done = () => {
          process.off('SIGINT', done);
          process.off('SIGTERM', done);
          resolve();
        };
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
        if (durationMs) setTimeout(done, durationMs).unref();
      });
      if (timer) clearInterval(timer);
      await monitor.stop();
      await nc.close().catch(() => undefined);
      if (live) draw();
      const summary = summarize(monitor.stats());
      if (flags.json) process.stdout.write(`${JSON.stringify({ record: 'summary', ...summary })}\n`);
      else process.stdout.write(`${summaryText(summary, out)}\n`);
      setExitCode(summary.violations > 0 ? exitCodes.findings : exitCodes.ok);
    });
};
