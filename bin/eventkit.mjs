#!/usr/bin/env node
// The `eventkit` command. Installed, it runs the compiled JavaScript in dist/. In a checkout (src/ exists;
// the package ships no src/) it runs the TypeScript sources through tsx, so a checkout never runs a stale
// build; EVENTKIT_DIST=1 runs dist/ from a checkout (after `npm run build`).
// `--version` answers before anything else loads.
import { existsSync, readFileSync } from 'node:fs';

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
    const source = new URL('../src/cli/main.ts', import.meta.url);
    const fromSource = process.env.EVENTKIT_DIST !== '1' && existsSync(source);
    if (fromSource) await import('../tools/dev/source-mode.mjs');
    const { main } = await import(fromSource ? source.href : '../dist/cli/main.js');
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
