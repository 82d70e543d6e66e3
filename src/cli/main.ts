// The `eventkit` command. The only place that turns diagnostics and errors into exit codes.
// Kept light on purpose: command modules load their engines inside their actions, so `--help`,
// `--version` and usage errors never pay for the AsyncAPI parser, NATS client or generator.
import { statSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Help, Option } from 'commander';
import { setRemoteRefsAllowed } from '../model/remote-default.ts';
import { MissingPeerError } from '../optional-peer.ts';
import { commands as allCommands, type RegisterCommand } from './commands/index.ts';
import { exitCodes } from './exit-codes.ts';
import { packageVersion } from './version.ts';

/** A bad `-C / --cwd`: reported in one line with exit 2 before any command runs. */
class ProjectFolderError extends Error {
  override readonly name = 'ProjectFolderError';
}

function assertFolder(dir: string): void {
  const resolved = path.resolve(dir);
  let isFolder = false;
  try {
    isFolder = statSync(resolved).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder)
    throw new ProjectFolderError(
      `project folder ${resolved} does not exist or is not a folder; pass an existing folder with -C / --cwd`,
    );
}

const programExamples = `
Examples:
  $ eventkit lint                          check the contracts of the project in this folder
  $ eventkit -C ../shop codegen --check    run a command in another project folder
  $ eventkit breaking --against main       breaking-change check against a git ref
  $ eventkit <command> --help              options and examples of one command

Exit codes: 0 ok, 1 findings, 2 bad input, 64 usage, 69 unavailable (NATS, Pact Broker), 70 internal error.
Set EVENTKIT_DEBUG=1 to see the stack trace of an internal error.`;

const versionOption = new Option('-V, --version', 'print the eventkit version');

/** The first argument that is not a program option (`-C dir`, `--cwd=dir`): the command's name, if any. */
function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-C' || arg === '--cwd') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/** The command the arguments name, for a usage hint (`eventkit lint --help`). */
function commandNamed(program: Command, argv: readonly string[]): Command | undefined {
  return program.commands.find((c) => argv.includes(c.name()));
}

export interface MainOptions {
  /** The commands to offer; all of eventkit's by default (tests pass their own). */
  readonly commands?: readonly RegisterCommand[];
}

export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const program = new Command('eventkit')
    .description('Integration events on NATS JetStream from AsyncAPI 3.0 + protobuf')
    .option('-C, --cwd <dir>', 'project folder (where eventkit.config.json lives)', process.cwd())
    .option('--allow-remote', 'fetch remote (http/https) $refs; offline by default')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addHelpText('after', programExamples)
    .configureHelp({
      // Lists the hand-handled -V, --version among the program's options (not the commands').
      visibleOptions(this: Help, command: Command): Option[] {
        const options = Help.prototype.visibleOptions.call(this, command);
        return command.parent ? options : [versionOption, ...options];
      },
    })
    .hook('preAction', (_program, action) => {
      const globals = action.optsWithGlobals<{ cwd: string; allowRemote?: boolean }>();
      assertFolder(globals.cwd);
      setRemoteRefsAllowed(globals.allowRemote === true);
    });
  let code: number = exitCodes.ok;
  for (const register of options.commands ?? allCommands) {
    register(program, (c) => {
      code = c;
    });
  }
  // `--version` is handled before commander: verify and can-i-deploy have their own `--version <v>`,
  // which a program-level --version option would swallow. Only arguments before the command count.
  const commandAt = argv.findIndex((arg) => arg === 'help' || program.commands.some((c) => c.name() === arg));
  const programArgs = commandAt === -1 ? argv : argv.slice(0, commandAt);
  if (programArgs.includes('--version') || programArgs.includes('-V')) {
    process.stdout.write(`${packageVersion()}\n`);
    return exitCodes.ok;
  }
  // commander answers `eventkit nosuch --help` with the main help and exit 0: a gate calling a command
  // that does not exist must fail. Without the help flag commander reports the unknown command (exit 64).
  const word = commandWord(argv);
  const unknownCommand =
    word !== undefined && word !== 'help' && !program.commands.some((c) => c.name() === word);
  const args = unknownCommand ? argv.filter((arg) => arg !== '--help' && arg !== '-h') : argv;
  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help exits through here with code 0; everything else commander throws is a usage error,
      // already printed by commander in one line.
      if (error.exitCode === 0) return exitCodes.ok;
      if (error.code !== 'commander.help' && error.code !== 'commander.helpDisplayed') {
        const command = commandNamed(program, argv);
        process.stderr.write(`Run 'eventkit ${command ? `${command.name()} ` : ''}--help' for usage.\n`);
      }
      return exitCodes.usage;
    }
    if (error instanceof ProjectFolderError) {
      process.stderr.write(`eventkit: ${error.message}\n`);
      return exitCodes.badInput;
    }
    if (error instanceof MissingPeerError) {
      process.stderr.write(`eventkit: ${error.message}\n`);
      return exitCodes.unavailable;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (process.env.EVENTKIT_DEBUG === '1' && error instanceof Error && error.stack) {
      process.stderr.write(`eventkit: internal error\n${error.stack}\n`);
    } else {
      process.stderr.write(
        `eventkit: internal error: ${message.split('\n')[0]} (a bug in eventkit; set EVENTKIT_DEBUG=1 for the stack trace)\n`,
      );
    }
    return exitCodes.internal;
  }
  return code;
}
