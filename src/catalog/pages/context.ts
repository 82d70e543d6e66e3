// What every component of a page may read: the site model and the path back to the site root. Pages render
// synchronously and at once (see html/jsx-runtime.ts), so the page being rendered is simply module state,
// set by `withPage` for the duration of one render.
import type { SiteModel } from '../site-model.ts';

export interface PageEnv {
  readonly site: SiteModel;
  /** Prefix from the current page to the site root (`''` or `../`). */
  readonly base: string;
  /** Pre-rendered header HTML per section (the build renders it once per depth instead of once per page). */
  readonly chrome?: (section: 'home' | 'flow' | 'events' | 'contracts' | 'none') => string;
}

let current: PageEnv | undefined;

/** Runs `render` with `env` as the page every component sees; restores the previous one afterwards. */
export function withPage<T>(env: PageEnv, render: () => T): T {
  const previous = current;
  current = env;
  try {
    return render();
  } finally {
    current = previous;
  }
}

export function usePage(): PageEnv {
  if (!current) throw new Error('page component rendered outside withPage()');
  return current;
}
