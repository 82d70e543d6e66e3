// A bounded context (domain): hand-written description, its services and events, and its neighbours.
import { GraphSvg } from '../graph/svg.tsx';
import type { PlacedGraph } from '../graph/types.ts';
import { Markdown } from '../markdown.tsx';
import type { ContextInfo } from '../site-model.ts';
import { urls } from '../urls.ts';
import { Badge, EventLink, Link, Section, ServiceLink } from './components.tsx';
import { usePage } from './context.ts';
import { Breadcrumbs, Layout } from './layout.tsx';

export function ContextPage({ context, graph }: { context: ContextInfo; graph: PlacedGraph }) {
  const { site, base } = usePage();
  const domain = site.content.domains.get(context.name);
  return (
    <Layout title={domain?.title ?? context.name} section="none">
      <Breadcrumbs items={[{ label: 'Overview', to: urls.home() }, { label: context.name }]} />
      <div className="page-head">
        <div>
          <p className="eyebrow">Bounded context</p>
          <h1>{domain?.title ?? context.name}</h1>
          <p className="page-meta">
            <code>{context.name}</code>
            {context.streams.map((s) => (
              <Badge key={s.name} title={s.subjects.join(' ')}>
                stream {s.name}
              </Badge>
            ))}
            {context.teams.map((t) => (
              <Link key={t} to={urls.team(t)} className="chip">
                {t}
              </Link>
            ))}
          </p>
        </div>
      </div>
      {domain ? <Markdown source={domain.source} /> : null}
      <Section id="neighbours" title="Neighbours">
        <p className="muted">
          Contexts it receives from (left) and sends to (right), with the number of events each way.
        </p>
        <GraphSvg
          graph={graph}
          id="context-graph"
          label={`Services of ${context.name} and the contexts they exchange events with`}
          base={base}
        />
      </Section>
      <div className="grid-2">
        <Section id="services" title={`Services (${context.services.length})`}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Owner</th>
                <th scope="col">Sends</th>
                <th scope="col">Receives</th>
              </tr>
            </thead>
            <tbody>
              {context.services.map((s) => (
                <tr key={s.id}>
                  <td>
                    <ServiceLink id={s.id} />
                  </td>
                  <td>
                    {s.owner ? (
                      <Link to={urls.team(s.owner.team)}>{s.owner.team}</Link>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>{site.sends.get(s.id)?.length ?? 0}</td>
                  <td>{site.receives.get(s.id)?.length ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
        <Section id="events" title={`Events (${context.events.length})`}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Sent by</th>
                <th scope="col">Consumers</th>
              </tr>
            </thead>
            <tbody>
              {context.events.map((e) => (
                <tr key={e.type}>
                  <td>
                    <EventLink event={e} />
                    {e.deprecated ? <Badge tone="warn">deprecated</Badge> : null}
                  </td>
                  <td>{e.producer ? <ServiceLink id={e.producer} /> : <span className="muted">—</span>}</td>
                  <td>{site.subscriptions.get(e.type)?.length ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      </div>
    </Layout>
  );
}
