// The whole system as one graph: services and events when small, contexts (with drill-down) when large.
import { GraphSvg } from '../graph/svg.tsx';
import type { PlacedGraph } from '../graph/types.ts';
import { urls } from '../urls.ts';
import { Link, SagaStrip, Section } from './components.tsx';
import { usePage } from './context.ts';
import { Layout } from './layout.tsx';

export function FlowPage({ graph, level }: { graph: PlacedGraph; level: 'services' | 'contexts' }) {
  const { site, base } = usePage();
  return (
    <Layout title="Flow" section="flow" description="Who sends what to whom.">
      <div className="page-head">
        <div>
          <p className="eyebrow">System</p>
          <h1>Flow</h1>
          <p className="lead">
            {level === 'services'
              ? 'Every service and event: arrows run from the sender to the event and from the event to each receiver.'
              : `${site.registry.services.length} services in ${site.contexts.length} bounded contexts. Each context appears as a sender on the left and a receiver on the right; arrows run from sender to receiver (hover one for its number of events). Open a context to see its services.`}
          </p>
        </div>
      </div>
      {site.saga.length > 0 ? (
        <Section id="saga" title={site.content.settings.sagaName}>
          <SagaStrip />
        </Section>
      ) : null}
      <Section id="graph" title={level === 'services' ? 'Services and events' : 'Contexts'}>
        <ul className="legend" aria-label="Legend">
          {level === 'services' ? (
            <>
              <li>
                <span className="legend-swatch legend-swatch--service" aria-hidden="true" /> service
              </li>
              <li>
                <span className="legend-swatch legend-swatch--event" aria-hidden="true" /> event
              </li>
            </>
          ) : (
            <li>
              <span className="legend-swatch legend-swatch--context" aria-hidden="true" /> bounded context
            </li>
          )}
          {site.saga.length > 0 ? (
            <li>
              <span className="legend-swatch legend-swatch--saga" aria-hidden="true" />{' '}
              {site.content.settings.sagaName}
            </li>
          ) : null}
        </ul>
        <GraphSvg
          graph={graph}
          id="flow-graph"
          label={
            level === 'services'
              ? 'Services and the events between them'
              : 'Bounded contexts and the events between them'
          }
          base={base}
        />
      </Section>
      <Section id="contexts" title="Drill down">
        <ul className="inline-list">
          {site.contexts.map((c) => (
            <li key={c.name}>
              <Link to={urls.context(c.name)} className="chip chip--context">
                {c.name} <span className="muted">{c.services.length}</span>
              </Link>
            </li>
          ))}
        </ul>
      </Section>
    </Layout>
  );
}
