// What every component of a page may read: the site model and the path back to the site root.
import { createContext, useContext } from 'react';
import type { SiteModel } from '../site-model.ts';

export interface PageEnv {
  readonly site: SiteModel;
  /** Prefix from the current page to the site root (`''` or `../`). */
  readonly base: string;
  /** Pre-rendered header HTML per section (the build renders it once per depth instead of once per page). */
  readonly chrome?: (section: 'home' | 'flow' | 'events' | 'contracts' | 'none') => string;
}

export const PageContext = createContext<PageEnv | null>(null);

export function usePage(): PageEnv {
  const env = useContext(PageContext);
  if (!env) throw new Error('page component rendered outside PageContext');
  return env;
}
