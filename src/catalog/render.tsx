// Renders pages to HTML strings with React's static renderer. Shared by the build and the render workers.
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { PageContext, type PageEnv } from './pages/context.ts';
import { HeaderInner } from './pages/layout.tsx';
import type { SiteModel } from './site-model.ts';
import { baseOf } from './urls.ts';

export type Section = 'home' | 'flow' | 'events' | 'contracts' | 'none';
export const sections: readonly Section[] = ['home', 'flow', 'events', 'contracts', 'none'];

/** Header HTML of every section, for pages at one depth. */
export type Chrome = Readonly<Record<Section, string>>;

export interface PageRenderer {
  (pagePath: string, element: ReactElement): string;
  /** The headers of pages at `base` (rendered on first use). */
  chrome(base: string): Chrome;
}

/**
 * Renders pages; the header (identical per depth and section) is rendered by React once and reused.
 * `prerendered` supplies headers rendered elsewhere (a render worker gets them from the build).
 */
export function pageRenderer(site: SiteModel, prerendered?: ReadonlyMap<string, Chrome>): PageRenderer {
  const chromes = new Map<string, Chrome>(prerendered);
  const chromeFor = (base: string): Chrome => {
    let chrome = chromes.get(base);
    if (!chrome) {
      // Rendered before any page that uses them, so no render nests inside another.
      const html = {} as Record<Section, string>;
      for (const section of sections)
        html[section] = renderToStaticMarkup(
          <PageContext.Provider value={{ site, base }}>
            <HeaderInner section={section} />
          </PageContext.Provider>,
        );
      chrome = html;
      chromes.set(base, chrome);
    }
    return chrome;
  };
  const envs = new Map<string, PageEnv>();
  const render = (pagePath: string, element: ReactElement): string => {
    const base = baseOf(pagePath);
    let env = envs.get(base);
    if (!env) {
      const chrome = chromeFor(base);
      env = { site, base, chrome: (section) => chrome[section] };
      envs.set(base, env);
    }
    return `<!doctype html>${renderToStaticMarkup(<PageContext.Provider value={env}>{element}</PageContext.Provider>)}`;
  };
  return Object.assign(render, { chrome: chromeFor });
}
