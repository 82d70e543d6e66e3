// Renders pages to HTML strings with the catalog's HTML JSX runtime. Shared by the build and the render workers.
import type { Html } from '#html/jsx-runtime';
import { type PageEnv, withPage } from './pages/context.ts';
import { HeaderInner } from './pages/layout.tsx';
import type { SiteModel } from './site-model.ts';
import { baseOf } from './urls.ts';

export type Section = 'home' | 'flow' | 'events' | 'contracts' | 'none';
export const sections: readonly Section[] = ['home', 'flow', 'events', 'contracts', 'none'];

/** Header HTML of every section, for pages at one depth. */
export type Chrome = Readonly<Record<Section, string>>;

/** A page to render: called once the page's environment is in place, so its components can read it. */
export type PageElement = () => Html;

export interface PageRenderer {
  (pagePath: string, page: PageElement): string;
  /** The headers of pages at `base` (rendered on first use). */
  chrome(base: string): Chrome;
}

/**
 * Renders pages; the header (identical per depth and section) is rendered once and reused.
 * `prerendered` supplies headers rendered elsewhere (a render worker gets them from the build).
 */
export function pageRenderer(site: SiteModel, prerendered?: ReadonlyMap<string, Chrome>): PageRenderer {
  const chromes = new Map<string, Chrome>(prerendered);
  const chromeFor = (base: string): Chrome => {
    let chrome = chromes.get(base);
    if (!chrome) {
      const html = {} as Record<Section, string>;
      for (const section of sections)
        html[section] = withPage({ site, base }, () => (<HeaderInner section={section} />).html);
      chrome = html;
      chromes.set(base, chrome);
    }
    return chrome;
  };
  const envs = new Map<string, PageEnv>();
  const render = (pagePath: string, page: PageElement): string => {
    const base = baseOf(pagePath);
    let env = envs.get(base);
    if (!env) {
      const chrome = chromeFor(base);
      env = { site, base, chrome: (section) => chrome[section] };
      envs.set(base, env);
    }
    return `<!doctype html>${withPage(env, page).html}`;
  };
  return Object.assign(render, { chrome: chromeFor });
}
