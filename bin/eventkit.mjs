#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx so `npx eventkit` works from a checkout without a build step.
// `--version` answers before tsx is registered: registering the loader hooks is most of a bare start.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
// A reader that stops early (`eventkit lint --help | head -2`) closes the pipe: end quietly, as cat does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
// Colour only for a terminal: picocolors would also colour piped output whenever CI is set.
if (!process.stdout.isTTY && !process.stderr.isTTY && !('FORCE_COLOR' in process.env)) process.env.NO_COLOR ??= '1';
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  try {
    const { register } = await import('tsx/esm/api');
    // Our tsconfig, wherever the command runs from: it sets how JSX compiles (the catalog's HTML runtime).
    register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
    const { main } = await import('../src/cli/main.ts');
    process.exitCode = await main(args);
    // The command is done: leave even if a library keeps a socket or timer alive (a NATS connect that
    // timed out against a server that never answers kept the process up forever).
    process.stdout.write('', () => process.stderr.write('', () => process.exit()));
  } catch (error) {
    // main() reports its own errors; this is a broken install or a module that fails to load (exit 70).
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    process.stderr.write(
      process.env.EVENTKIT_DEBUG === '1' && error instanceof Error
        ? `${error.stack}\n`
        : `eventkit: internal error: ${message} (set EVENTKIT_DEBUG=1 for the stack trace)\n`,
    );
    process.exitCode = 70;
  }
}
