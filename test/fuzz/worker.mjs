// Entry of the fuzz runner process: eventkit's TypeScript sources run directly (as bin/eventkit.mjs does in a
// checkout), then the runner.
await import('../../tools/dev/source-mode.mjs');
await import('./runner.ts');
