// Where a module next to the caller lives, in the caller's own form: `x.ts` when eventkit runs from its
// sources (a checkout), `x.js` in the compiled package. For entry points started by path (workers).

/** The URL of `<base>.ts` or `<base>.js` beside `callerUrl` (pass `import.meta.url`). */
export function siblingModule(callerUrl: string, base: string): URL {
  const extension = callerUrl.endsWith('.ts') || callerUrl.endsWith('.tsx') ? '.ts' : '.js';
  return new URL(`./${base}${extension}`, callerUrl);
}

/** True when eventkit runs from its TypeScript sources (a checkout) rather than the compiled package. */
export function runsFromSource(callerUrl: string): boolean {
  return callerUrl.endsWith('.ts') || callerUrl.endsWith('.tsx');
}
