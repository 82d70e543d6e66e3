// Entry of a catalog render worker. Worker threads do not inherit tsx's loader from the process that starts
// them, so register it here and then load the TypeScript worker.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// Our tsconfig, whatever the working directory: it sets how the pages' JSX compiles.
register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
await import('./render-worker.ts');
