// The client-side search index (minisearch), built once at build time and shipped as JSON.
import MiniSearch from 'minisearch';
import type { FieldModel } from '../model/types.ts';
import type { SiteModel } from './site-model.ts';
import { urls } from './urls.ts';

export interface SearchDocument {
  readonly id: string;
  readonly kind: 'event' | 'service' | 'context' | 'team';
  readonly title: string;
  readonly url: string;
  readonly detail: string;
  readonly name: string;
  readonly subject: string;
  readonly fields: string;
  readonly text: string;
}

/** Shared with the browser (site.js passes them back to `MiniSearch.loadJS`). */
export const searchOptions = {
  idField: 'id',
  fields: ['title', 'name', 'subject', 'fields', 'text'],
  storeFields: ['kind', 'title', 'url', 'detail'],
} as const;

const spaced = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1 $2');

function fieldTerms(fields: readonly FieldModel[], out: string[], depth = 0): void {
  for (const f of fields) {
    out.push(f.name, spaced(f.name));
    if (f.protoName && f.protoName !== f.name) out.push(f.protoName);
    if (f.fields && depth < 3) fieldTerms(f.fields, out, depth + 1);
  }
}

export function searchDocuments(site: SiteModel): SearchDocument[] {
  const docs: SearchDocument[] = [];
  for (const c of site.contexts) {
    const domain = site.content.domains.get(c.name);
    docs.push({
      id: `c:${c.name}`,
      kind: 'context',
      title: domain?.title ?? c.name,
      url: urls.context(c.name),
      detail: `Context · ${c.services.length} services · ${c.events.length} events`,
      name: c.name,
      subject: '',
      fields: '',
      text: domain?.source.slice(0, 400) ?? '',
    });
  }
  for (const [team, services] of site.teams) {
    docs.push({
      id: `t:${team}`,
      kind: 'team',
      title: team,
      url: urls.team(team),
      detail: `Team · ${services.length} services`,
      name: team,
      subject: '',
      fields: '',
      text: '',
    });
  }
  for (const s of site.registry.services) {
    docs.push({
      id: `s:${s.id}`,
      kind: 'service',
      title: s.id,
      url: urls.service(s.id),
      detail: [s.title, s.context, s.owner?.team].filter(Boolean).join(' · '),
      name: `${s.title} ${s.id.replace(/[-_]/g, ' ')}`,
      subject: '',
      fields: '',
      text: s.description ?? '',
    });
  }
  for (const e of site.registry.events) {
    const terms: string[] = [];
    fieldTerms(e.payload.fields, terms);
    docs.push({
      id: `e:${e.type}`,
      kind: 'event',
      title: `${e.name} v${e.major}`,
      url: urls.event(e.type),
      detail: `${e.type} · ${e.channels.map((c) => c.address).join(' · ')}`,
      name: `${e.name} ${spaced(e.name)} ${e.type}`,
      subject: e.channels.map((c) => c.address).join(' '),
      fields: terms.join(' '),
      text: e.summary ?? e.description ?? '',
    });
  }
  return docs;
}

/** Serialised index: `{ options, index }`; the browser loads it with `MiniSearch.loadJS(index, options)`. */
export function buildSearchIndex(site: SiteModel): string {
  return searchIndexJson(searchDocuments(site));
}

/** The serialised index of these documents (a render worker builds it from documents the build sends). */
export function searchIndexJson(docs: readonly SearchDocument[]): string {
  const search = new MiniSearch<SearchDocument>({
    ...searchOptions,
    fields: [...searchOptions.fields],
    storeFields: [...searchOptions.storeFields],
  });
  search.addAll(docs);
  return JSON.stringify({ version: 1, options: searchOptions, index: search.toJSON() });
}
