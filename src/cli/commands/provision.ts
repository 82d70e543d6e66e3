// `eventkit provision [--dry-run] [--prune] [--json] [--server <url>]`: create or update the streams and durable
// consumers the AsyncAPI documents declare, report drift between the live server and the spec, and with
// --prune delete the durables of receive operations that are gone.
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { Command } from 'commander';
import type { AppliedChange, PlannedChange, ProvisioningPlan } from '../../runtime/provisioning.ts';
import { redactSecrets, redactUrl } from '../../runtime/redact.ts';
import { exitCodes } from '../exit-codes.ts';
import { type Colors, colorsFor, formatDiagnosticsByFile, formatTable } from '../output/index.ts';
import type { RegisterCommand } from './index.ts';

interface ProvisionFlags {
  readonly dryRun?: boolean;
  readonly prune?: boolean;
  readonly json?: boolean;
  readonly server?: string;
  readonly replicas?: string;
}

const DEFAULT_SERVER = 'nats://127.0.0.1:4222';

function describeDrift(change: PlannedChange): string {
  if (change.note) return change.note;
  return change.drift
    .map(
      (d) =>
        `${d.field}: ${JSON.stringify(d.live)} → ${JSON.stringify(d.desired)}${d.immutable ? ' (cannot change in place)' : ''}`,
    )
    .join('; ');
}

function formatChanges(
  changes: readonly (PlannedChange | AppliedChange)[],
  c: Colors,
  applied: boolean,
): string {
  const paint = (word: string) => {
    if (word === 'conflict' || word === 'failed') return c.red(word);
    if (word === 'unchanged') return c.dim(word);
    if (word === 'delete' || word === 'deleted') return c.yellow(word);
    return c.green(word);
  };
  const rows = changes.map((change) => {
    const word = applied && 'outcome' in change ? change.outcome : change.kind;
    const detail = 'error' in change && change.error ? change.error : describeDrift(change);
    return [change.resource, change.name, paint(word), detail];
  });
  return formatTable(['resource', 'name', applied ? 'result' : 'plan', 'details'], rows, c);
}

export const registerProvision: RegisterCommand = (program, setExitCode) => {
  program
    .command('provision')
    .description(
      'Create or update the JetStream streams and durable consumers the AsyncAPI documents declare',
    )
    .option('--dry-run', 'only show what would change (drift between the server and the spec)')
    .option(
      '--prune',
      'also delete retired durables: named <service>--… by eventkit for a receive operation that is gone',
    )
    .option('--json', 'print the plan / result as JSON on stdout')
    .option('--server <url>', `NATS server (default: NATS_URL or ${DEFAULT_SERVER})`)
    .option(
      '--replicas <n>',
      'replicas of every stream instead of the documents’ (a deployment choice, e.g. 3 on a 3-node cluster)',
    )
    .addHelpText(
      'after',
      '\nChanges JetStream cannot make in place (retention, storage, deliver policy) are reported as conflicts:\n' +
        'durable names are part of the contract, so recreating one is a human decision. Nothing is deleted unless\n' +
        'you pass --prune, and then only retired durables (a service moved to v2 of an event leaves its v1 durable):\n' +
        "On a cluster it lists each stream's leader and replicas; --server takes every URL, comma-separated.\n" +
        'one a client still pulls from is a conflict instead. Durables eventkit did not name are never touched.\n' +
        'Exit codes: 0 in sync / applied, 1 conflicts or failed changes, 2 documents cannot be read, 69 NATS unreachable.\n' +
        '\nExamples:\n' +
        '  $ eventkit provision --dry-run                         show the drift against nats://127.0.0.1:4222\n' +
        '  $ eventkit provision --prune --dry-run                 also show the retired durables it would delete\n' +
        '  $ eventkit provision --server nats://nats.internal:4222\n' +
        '  $ NATS_URL=nats://127.0.0.1:4333 eventkit provision --json\n' +
        '  $ eventkit provision --server nats://n1:4222,nats://n2:4222,nats://n3:4222 --replicas 3',
    )
    .action(async (flags: ProvisionFlags, command: Command) => {
      const cwd = (command.optsWithGlobals() as { cwd: string }).cwd;
      const out = colorsFor(process.stdout);
      const err = colorsFor(process.stderr);
      // An empty --server is a mistake (an unset variable), not "the default server".
      if (flags.server !== undefined && !/^\s*[^\s,]/.test(flags.server)) {
        process.stderr.write(
          'eventkit provision: --server is empty; pass a NATS URL (nats://host:4222) or leave it out for NATS_URL\n',
        );
        setExitCode(exitCodes.usage);
        return;
      }
      // Loaded here, not at the top: `eventkit --help` should not pay for the parser and the NATS client.
      const [
        { jetstreamManager },
        { hasErrors, loadConfig, loadRegistry },
        { isTransportError },
        { applyProvisioning, clusterReport, planProvisioning, provisioningSpec },
        { connectNats },
      ] = await Promise.all([
        import('@nats-io/jetstream'),
        import('../../model/index.ts'),
        import('../../runtime/errors.ts'),
        import('../../runtime/provisioning.ts'),
        import('../../runtime/transports/jetstream.ts'),
      ]);
      const progress = (step: string) => {
        if (!flags.json || process.stderr.isTTY) process.stderr.write(`${err.dim(`provision: ${step}`)}\n`);
      };
      const { config, diagnostics: configDiagnostics } = await loadConfig(cwd);
      if (hasErrors(configDiagnostics)) {
        process.stderr.write(`${formatDiagnosticsByFile(configDiagnostics, err)}\n`);
        setExitCode(exitCodes.badInput);
        return;
      }
      const replicas = flags.replicas === undefined ? undefined : Number(flags.replicas);
      if (replicas !== undefined && !(Number.isInteger(replicas) && replicas >= 1 && replicas <= 5)) {
        process.stderr.write(
          `eventkit provision: --replicas must be a whole number from 1 to 5, got ${flags.replicas}\n`,
        );
        setExitCode(exitCodes.usage);
        return;
      }
      const server = flags.server ?? process.env.NATS_URL ?? DEFAULT_SERVER;
      const shownServer = redactUrl(server);
      progress(`connecting to ${shownServer}`);
      let nc: NatsConnection;
      try {
        nc = await connectNats({ servers: server, name: 'eventkit provision', connectTimeoutMs: 5_000 });
      } catch (error) {
        const reason = redactSecrets(isTransportError(error) ? error.message : String(error));
        process.stderr.write(
          `eventkit provision: ${reason}\nStart a server (nats-server -js) or point --server / NATS_URL at one.\n`,
        );
        setExitCode(exitCodes.unavailable);
        return;
      }
      try {
        let jsm: JetStreamManager;
        try {
          jsm = await jetstreamManager(nc, { timeout: 5_000 });
        } catch (error) {
          process.stderr.write(
            `eventkit provision: JetStream is not available on ${shownServer} (${redactSecrets((error as Error).message)}); start nats-server with -js\n`,
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
            'eventkit provision: fix the errors above (see `eventkit lint`) before provisioning\n',
          );
          setExitCode(exitCodes.badInput);
          return;
        }
        const spec = provisioningSpec(registry, replicas !== undefined ? { replicas } : {});
        progress(`planning ${spec.streams.length} streams and ${spec.consumers.length} consumers`);
        let plan: ProvisioningPlan;
        let results: AppliedChange[] | undefined;
        try {
          plan = await planProvisioning(jsm, spec, { prune: Boolean(flags.prune) });
          results = flags.dryRun ? undefined : await applyProvisioning(jsm, plan, { onProgress: progress });
        } catch (error) {
          if (!isTransportError(error)) throw error;
          process.stderr.write(`eventkit provision: ${redactSecrets(error.message)} (${shownServer})\n`);
          setExitCode(exitCodes.unavailable);
          return;
        }
        // On a cluster: each stream's leader and replicas (after applying, so new streams are placed).
        const cluster = nc.info?.cluster
          ? await clusterReport(
              jsm,
              spec.streams.map((s) => s.name),
              nc.info.cluster,
            ).catch(() => undefined)
          : undefined;
        const changes = results ?? plan.changes;
        const bad = results
          ? results.filter((r) => r.outcome === 'conflict' || r.outcome === 'failed').length
          : plan.changes.filter((c) => c.kind === 'conflict').length;
        if (flags.json) {
          const payload = {
            server: shownServer,
            dryRun: Boolean(flags.dryRun),
            changes: changes.map((c) => ({
              resource: c.resource,
              name: c.name,
              plan: c.kind,
              ...('outcome' in c ? { outcome: c.outcome } : {}),
              ...('error' in c && c.error ? { error: c.error } : {}),
              drift: c.drift,
              ...(c.consumer
                ? {
                    service: c.consumer.service,
                    operation: c.consumer.operation,
                    eventType: c.consumer.eventType,
                  }
                : {}),
            })),
            unknownConsumers: plan.unknownConsumers,
            retiredConsumers: plan.retiredConsumers,
            ...(cluster ? { cluster } : {}),
          };
          process.stdout.write(`${JSON.stringify(payload, null, 2)}\n`);
        } else {
          const blocks = [formatChanges(changes, out, Boolean(results))];
          if (cluster)
            blocks.push(
              `cluster ${cluster.name}: ${cluster.servers.length} servers (${cluster.servers.join(', ')})\n${formatTable(
                ['stream', 'replicas', 'leader', 'followers'],
                cluster.streams.map((s) => [
                  s.name,
                  `R${s.replicas}`,
                  s.leader ?? out.red('none'),
                  s.followers
                    .map((f) => (f.current ? f.name : out.yellow(`${f.name} (catching up)`)))
                    .join(', ') || out.dim('—'),
                ]),
                out,
              )}`,
            );
          if (plan.unknownConsumers.length > 0)
            blocks.push(
              out.yellow(
                `durables on the server that no receive operation declares (left alone): ${plan.unknownConsumers.join(', ')}`,
              ),
            );
          if (!flags.prune && plan.retiredConsumers.length > 0)
            blocks.push(
              out.yellow(
                `retired durables (their receive operation is gone; --prune deletes them): ${plan.retiredConsumers.join(', ')}`,
              ),
            );
          const pending = plan.changes.filter(
            (c) => c.kind === 'create' || c.kind === 'update' || c.kind === 'delete',
          ).length;
          blocks.push(
            flags.dryRun
              ? `${pending} change(s) to apply, ${bad} conflict(s)${pending > 0 ? ' — run without --dry-run to apply' : ''}`
              : `${pending - (results?.filter((r) => r.outcome === 'failed').length ?? 0)} change(s) applied, ${bad} conflict(s) or failure(s)`,
          );
          process.stdout.write(`${blocks.join('\n\n')}\n`);
        }
        setExitCode(bad > 0 ? exitCodes.findings : exitCodes.ok);
      } finally {
        await nc.close().catch(() => undefined);
      }
    });
};
