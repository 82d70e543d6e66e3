// Overview: contexts, services, events, consumers and contract health at a glance.
import { firstParagraph, Markdown } from '../markdown.tsx';
import { urls } from '../urls.ts';
import { AttentionList, HealthBar, Link, SagaStrip, Section, ServiceLink, Stat } from './components.tsx';
import { usePage } from './context.ts';
import { Layout } from './layout.tsx';

const MAX_SERVICES_PER_CARD = 8;

export function HomePage() {
  const { site } = usePage();
  const { registry, content, health } = site;
  const events = registry.events.filter((e) => e.kind === 'event').length;
  const requests = registry.events.length - events;
  const subscriptions = Object.values(health).reduce((a, b) => a + b, 0);
  return (
    <Layout
      title={content.settings.title}
      section="home"
      description="Every integration event, who sends it, who depends on it."
    >
      <div className="hero">
        <h1>{content.settings.title}</h1>
        <p className="lead">
          {content.settings.tagline ??
            'Every integration event: what it carries, who sends it, who depends on it, and whether their contracts hold.'}
        </p>
        {content.intro ? <Markdown source={content.intro.source} /> : null}
      </div>
      <div className="stats">
        <Stat value={site.contexts.length} label="bounded contexts" to="#contexts" />
        <Stat value={registry.services.length} label="services" to="#contexts" />
        <Stat
          value={events}
          label={requests > 0 ? `events · ${requests} requests` : 'events'}
          to={urls.events()}
        />
        <Stat value={subscriptions} label="subscriptions" to={urls.contracts()} />
        <Stat value={registry.streams.length} label="streams" />
      </div>
      <div className={site.saga.length > 0 ? 'grid-home' : undefined}>
        <Section
          id="health"
          title="Contract health"
          actions={<Link to={urls.contracts()}>Contracts matrix →</Link>}
        >
          <p className="muted">One entry per consumer and event it receives.</p>
          <HealthBar health={health} />
          <AttentionList />
        </Section>
        {site.saga.length > 0 ? (
          <Section
            id="saga"
            title={content.settings.sagaName}
            actions={<Link to={urls.flow()}>See the flow →</Link>}
          >
            <SagaStrip vertical />
          </Section>
        ) : null}
      </div>
      <Section id="contexts" title="Bounded contexts">
        <ul className="cards">
          {site.contexts.map((c) => {
            const domain = content.domains.get(c.name);
            const blurb = domain ? firstParagraph(domain.source) : undefined;
            const shown = c.services.slice(0, MAX_SERVICES_PER_CARD);
            return (
              <li key={c.name} className="card">
                <h3 className="card-title">
                  <Link to={urls.context(c.name)}>{domain?.title ?? c.name}</Link>
                </h3>
                {blurb ? <p className="card-text">{blurb}</p> : null}
                <p className="card-meta">
                  {c.services.length} service{c.services.length === 1 ? '' : 's'} · {c.events.length} event
                  {c.events.length === 1 ? '' : 's'}
                  {c.teams.length > 0 ? (
                    <>
                      {' · '}
                      {c.teams.map((t, i) => (
                        <span key={t}>
                          {i > 0 ? ', ' : ''}
                          <Link to={urls.team(t)}>{t}</Link>
                        </span>
                      ))}
                    </>
                  ) : null}
                </p>
                <ul className="inline-list" aria-label={`Services of ${c.name}`}>
                  {shown.map((s) => (
                    <li key={s.id}>
                      <ServiceLink id={s.id} />
                    </li>
                  ))}
                  {c.services.length > shown.length ? (
                    <li className="muted">+{c.services.length - shown.length} more</li>
                  ) : null}
                </ul>
              </li>
            );
          })}
        </ul>
      </Section>
      {site.teams.size > 0 ? (
        <Section id="teams" title="Teams">
          <ul className="inline-list">
            {[...site.teams.keys()].sort().map((t) => (
              <li key={t}>
                <Link to={urls.team(t)} className="chip">
                  {t}
                </Link>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </Layout>
  );
}
