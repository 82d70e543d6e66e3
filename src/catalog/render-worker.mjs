// Entry of a catalog render worker when eventkit runs from its sources (a checkout). Worker threads do not
// inherit tsx's loader from the process that starts them, so register the checkout's source mode here and
// then load the TypeScript worker. The compiled package starts render-worker.js directly.
await import('../../tools/dev/source-mode.mjs');
await import('./render-worker.ts');
