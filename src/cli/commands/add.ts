// `eventkit add event <context>.v<N>.<Name> [--key <field>] [--service <id>] [--receive] [--json]`.
import type { Command } from 'commander';
import { exitCodes } from '../exit-codes.ts';
import { colorsFor } from '../output/index.ts';
import type { RegisterCommand } from './index.ts';

interface AddEventFlags {
  readonly key?: string;
  readonly service?: string;
  readonly receive?: boolean;
  readonly json?: boolean;
}

export const registerAdd: RegisterCommand = (program, setExitCode) => {
  const add = program.command('add').description('Add to the contracts: `add event <context>.v<N>.<Name>`');
  add
    .command('event')
    .argument('<type>', 'event type: <context>.v<N>.<Name>, e.g. billing.v1.InvoiceIssued')
    .description(
      'Add an event: proto message, channel, send operation and component message, by the conventions',
    )
    .option('--key <field>', 'partition key field (default: <first word of the name>_id, e.g. invoice_id)')
    .option('--service <id>', 'the sending service (default: the service whose context is the event’s)')
    .option('--receive', 'also add a receive operation (a durable consumer) to the same service')
    .option('--json', 'print { type, service, subject, stream, files } as JSON on stdout')
    .addHelpText(
      'after',
      '\nAppends the message to <protoRoot>/<context>/v<N>/events.proto (created when new) and adds the channel\n' +
        '<context>.<event-kebab>.v<N>.{<key>}, the operation publish<Name> and the message <Name>V<N> (CloudEvents\n' +
        'headers, an example) to the owning service’s document, keeping its comments. Refuses an event that exists.\n' +
        'Exit codes: 0 added, 2 bad input (duplicate, unknown context, malformed name), 64 usage.\n' +
        '\nExamples:\n' +
        '  $ eventkit add event billing.v1.InvoiceIssued\n' +
        '  $ eventkit add event billing.v1.InvoicePaid --key invoice_id --receive --json',
    )
    .action(async (type: string, flags: AddEventFlags, command: Command) => {
      const cwd = (command.optsWithGlobals() as { cwd: string }).cwd;
      const [{ loadConfig }, { addEvent, isScaffoldError, ScaffoldError }] = await Promise.all([
        import('../../model/index.ts'),
        import('../../scaffold/index.ts'),
      ]);
      const { config, diagnostics } = await loadConfig(cwd);
      const configError = diagnostics.find((d) => d.severity === 'error');
      try {
        if (configError !== undefined) {
          const where = configError.location
            ? `${configError.location.file}:${configError.location.line}: `
            : '';
          throw new ScaffoldError(`${where}${configError.message}`, {
            kind: 'bad-input',
            ...(configError.location ? { file: configError.location.file } : {}),
          });
        }
        const result = await addEvent(config, type, {
          ...(flags.key === undefined ? {} : { key: flags.key }),
          ...(flags.service === undefined ? {} : { service: flags.service }),
          receive: flags.receive === true,
        });
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        const out = colorsFor(process.stdout);
        for (const file of result.files) process.stdout.write(`  ${out.green(file.action)} ${file.path}\n`);
        process.stdout.write(
          `${out.green('✓')} ${result.type} added to ${result.service}: subject ${result.subject}, stream ${result.stream}` +
            `${result.durable ? `, durable ${result.durable}` : ''}. Next: fill in its fields, then eventkit lint && eventkit codegen\n`,
        );
      } catch (error) {
        if (!isScaffoldError(error)) throw error;
        if (flags.json)
          process.stdout.write(
            `${JSON.stringify({ error: error.message, file: error.file ?? null }, null, 2)}\n`,
          );
        process.stderr.write(`add event: ${error.message}\n`);
        setExitCode(exitCodes.badInput);
      }
    });
};
