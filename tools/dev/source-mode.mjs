// Source mode of a checkout: run eventkit's TypeScript sources directly (tsx) and resolve the package's own
// entry points to src/ (the `eventkit-source` condition), so nothing in the checkout depends on a build.
// Imported by bin/eventkit.mjs and by the worker entries when they run from src/. Never shipped.
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { register as registerTsx } from 'tsx/esm/api';

// Our tsconfig, wherever the command runs from: it sets how JSX compiles (the catalog's HTML runtime).
registerTsx({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
register(new URL('./source-conditions-hooks.mjs', import.meta.url));
