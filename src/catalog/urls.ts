// Where each page lives in the site, as paths relative to the site root. Pages link with relative URLs
// (`base` + path) so the site works from any folder of any static host.

const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_');

export const urls = {
  home: (): string => 'index.html',
  flow: (): string => 'flow.html',
  events: (): string => 'events.html',
  contracts: (): string => 'contracts.html',
  service: (id: string): string => `services/${safe(id)}.html`,
  event: (type: string): string => `events/${safe(type)}.html`,
  context: (name: string): string => `contexts/${safe(name)}.html`,
  team: (name: string): string => `teams/${safe(name)}.html`,
  asyncapi: (id: string, file: string): string =>
    `asyncapi/${safe(id)}${/\.json$/i.test(file) ? '.json' : '.yaml'}`,
  proto: (importPath: string): string => `proto/${importPath.split('/').map(safe).join('/')}`,
  searchIndex: (): string => 'search-index.json',
  asset: (name: string): string => `assets/${name}`,
};

/** The prefix that leads from a page back to the site root (`''` or `../`). */
export function baseOf(pagePath: string): string {
  const depth = pagePath.split('/').length - 1;
  return '../'.repeat(depth);
}
