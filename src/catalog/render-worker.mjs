// Entry of a catalog render worker. Worker threads do not inherit tsx's loader from the process that starts
// them, so register it here and then load the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./render-worker.ts');
