// Every event and request type, grouped by context.

import { protocolWords } from '../../model/names.ts';
import { eventProtocol } from '../../model/query.ts';
import { Badge, ContextChip, EventLink, ServiceLink, Subjects } from './components.tsx';
import { usePage } from './context.ts';

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

import { Layout } from './layout.tsx';

export function EventsIndexPage() {
  const { site } = usePage();
  // One word when every event travels on one protocol (subject, topic, queue), else the neutral one.
  const words = new Set(
    site.registry.events.map((e) => protocolWords(eventProtocol(site.registry, e)).address),
  );
  const addressWord = words.size === 1 ? capitalize([...words][0] ?? 'subject') : 'Address';
  return (
    <Layout title="Events" section="events" description="All integration events.">
      <div className="page-head">
        <div>
          <p className="eyebrow">Index</p>
          <h1>Events</h1>
          <p className="lead">
            {site.registry.events.length} message types in {site.contexts.length} contexts.
          </p>
        </div>
      </div>
      {site.contexts
        .filter((c) => c.events.length > 0)
        .map((c) => (
          <section key={c.name} className="section" aria-labelledby={`ctx-${c.name}`}>
            <div className="section-head">
              <h2 id={`ctx-${c.name}`}>
                <ContextChip name={c.name} />
              </h2>
            </div>
            <table className="table events-table">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">{addressWord}</th>
                  <th scope="col">Sent by</th>
                  <th scope="col">Consumers</th>
                </tr>
              </thead>
              <tbody>
                {c.events.map((e) => (
                  <tr key={e.type}>
                    <td>
                      <EventLink event={e} />
                      {e.kind !== 'event' ? <Badge>{e.kind}</Badge> : null}
                      {e.deprecated ? <Badge tone="warn">deprecated</Badge> : null}
                      {e.summary ? <div className="muted small">{e.summary}</div> : null}
                    </td>
                    <td>
                      <Subjects addresses={e.channels.map((c) => c.address)} />
                    </td>
                    <td>{e.producer ? <ServiceLink id={e.producer} /> : <span className="muted">—</span>}</td>
                    <td>{site.subscriptions.get(e.type)?.length ?? 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
    </Layout>
  );
}
