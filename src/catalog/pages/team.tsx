// A team: hand-written page from catalog/teams/<team>.md and the services it owns.
import type { ServiceModel } from '../../model/types.ts';
import { Markdown } from '../markdown.tsx';
import { urls } from '../urls.ts';
import { ContextChip, Section, ServiceLink } from './components.tsx';
import { usePage } from './context.ts';
import { Breadcrumbs, Layout } from './layout.tsx';

export function TeamPage({ team, services }: { team: string; services: readonly ServiceModel[] }) {
  const { site } = usePage();
  const page = site.content.teams.get(team);
  const contact = services.find((s) => s.owner?.email || s.owner?.slack)?.owner;
  return (
    <Layout title={page?.title ?? `Team ${team}`} section="none">
      <Breadcrumbs items={[{ label: 'Overview', to: urls.home() }, { label: `Team ${team}` }]} />
      <div className="page-head">
        <div>
          <p className="eyebrow">Team</p>
          <h1>{page?.title ?? team}</h1>
          {contact ? (
            <p className="page-meta">
              {contact.email ? <a href={`mailto:${contact.email}`}>{contact.email}</a> : null}
              {contact.slack ? <span className="muted"> {contact.slack}</span> : null}
            </p>
          ) : null}
        </div>
      </div>
      {page ? <Markdown source={page.source} /> : null}
      <Section id="services" title={`Owns ${services.length} service${services.length === 1 ? '' : 's'}`}>
        <ul className="plain-list">
          {services.map((s) => (
            <li key={s.id}>
              <ServiceLink id={s.id} /> <ContextChip name={s.context} />{' '}
              <span className="muted">{s.description}</span>
            </li>
          ))}
        </ul>
      </Section>
    </Layout>
  );
}
