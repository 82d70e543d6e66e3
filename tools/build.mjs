// `npm run build`: compiles src/ to dist/ (ESM, .d.ts, source maps) with plain tsc, then copies what the
// compiled code reads at run time by path: the catalog's site assets, the codegen template (its renderers
// run in process; its React entries serve the stock AsyncAPI generator) and the outbox migrations.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const started = performance.now();

rmSync(dist, { recursive: true, force: true });
const require = createRequire(import.meta.url);
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});

/** Files read by path at run time, relative to src/ (same place under dist/). */
const assets = ['catalog/assets', 'codegen/template', 'outbox/migrations'];
for (const asset of assets) {
  cpSync(path.join(root, 'src', asset), path.join(dist, asset), {
    recursive: true,
    // The checkout's transpiled template (stock-generator test) and its staging folders stay behind.
    filter: (source) => !source.includes('__transpiled') && !source.endsWith('.lock'),
  });
}

process.stdout.write(`built dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
