// A service: what it sends and receives, who owns it, its AsyncAPI document and its neighbourhood.
import { protocolWords, slug } from '../../model/names.ts';
import { serviceProtocol } from '../../model/query.ts';
import type { ServiceModel } from '../../model/types.ts';
import { GraphSvg } from '../graph/svg.tsx';
import type { PlacedGraph } from '../graph/types.ts';
import { urls } from '../urls.ts';
import {
  Badge,
  ContextChip,
  EventLink,
  Link,
  Section,
  ServiceLink,
  StatusBadge,
  Subjects,
} from './components.tsx';
import { usePage } from './context.ts';
import { Breadcrumbs, Layout } from './layout.tsx';

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const ms = (n: number): string =>
  n % 60000 === 0 ? `${n / 60000}m` : n % 1000 === 0 ? `${n / 1000}s` : `${n}ms`;

export function ServicePage({
  service,
  graph,
  documentHref,
}: {
  service: ServiceModel;
  graph: PlacedGraph;
  documentHref: string;
}) {
  const { site, base } = usePage();
  const sends = site.sends.get(service.id) ?? [];
  const receives = site.receives.get(service.id) ?? [];
  const owner = service.owner;
  const deploy = site.canIDeploy.get(service.id);
  const addressWord = capitalize(protocolWords(serviceProtocol(site.registry, service)).address);
  // An id derived from the title (or equal to it) says nothing new next to the heading.
  const idIsTitle = service.id === service.title || service.id === slug(service.title);
  return (
    <Layout title={service.title} section="none" description={service.description}>
      <Breadcrumbs
        items={[
          { label: 'Overview', to: urls.home() },
          { label: service.context, to: urls.context(service.context) },
          { label: service.id },
        ]}
      />
      <div className="page-head">
        <div>
          <p className="eyebrow">Service</p>
          <h1>{service.title}</h1>
          <p className="page-meta">
            {idIsTitle ? null : <code>{service.id}</code>} <ContextChip name={service.context} />{' '}
            <Badge>v{service.version}</Badge>
            {service.tags.map((t) => (
              <Badge key={t} tone={t === 'saga' ? 'saga' : 'neutral'}>
                {t}
              </Badge>
            ))}
            {deploy ? (
              <Badge tone={deploy.deployable ? 'ok' : 'bad'}>
                {deploy.deployable ? 'can deploy' : 'cannot deploy'}
              </Badge>
            ) : null}
          </p>
        </div>
        <div className="page-actions">
          <a className="button" href={base + documentHref} download>
            Download AsyncAPI
          </a>
        </div>
      </div>
      {service.description ? <p className="lead">{service.description}</p> : null}
      <dl className="facts">
        <div>
          <dt>Owner</dt>
          <dd>
            {owner ? (
              <>
                <Link to={urls.team(owner.team)}>{owner.name ?? owner.team}</Link>
                {owner.email ? (
                  <>
                    {' · '}
                    <a href={`mailto:${owner.email}`}>{owner.email}</a>
                  </>
                ) : null}
                {owner.slack ? <span className="muted"> · {owner.slack}</span> : null}
              </>
            ) : (
              <span className="muted">No owner declared (set info.x-eventkit-owner)</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Document</dt>
          <dd>
            <code>{service.document.file}</code>
          </dd>
        </div>
        <div>
          <dt>Sends</dt>
          <dd>{sends.length}</dd>
        </div>
        <div>
          <dt>Receives</dt>
          <dd>{receives.length}</dd>
        </div>
        {service.servers.length > 0 ? (
          <div>
            <dt>Servers</dt>
            <dd>
              {service.servers.map((s) => (
                <span key={s.id} className="server">
                  <code>
                    {s.protocol}://{s.host}
                  </code>{' '}
                  <span className="muted">{s.id}</span>
                </span>
              ))}
            </dd>
          </div>
        ) : null}
      </dl>
      <Section id="neighbours" title="Neighbourhood">
        <p className="muted">What flows in (left) and out (right). Select a node to open it.</p>
        <GraphSvg
          graph={graph}
          id="neighbours-graph"
          label={`Events ${service.id} receives and sends, with their producers and consumers`}
          base={base}
        />
      </Section>
      <div className="grid-2">
        <Section id="sends" title={`Sends (${sends.length})`}>
          {sends.length === 0 ? (
            <p className="muted">Sends no events.</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">{addressWord}</th>
                  <th scope="col">Consumers</th>
                </tr>
              </thead>
              <tbody>
                {sends.map((e) => {
                  const subs = site.subscriptions.get(e.type) ?? [];
                  return (
                    <tr key={e.type}>
                      <td>
                        <EventLink event={e} />
                        {e.deprecated ? <Badge tone="warn">deprecated</Badge> : null}
                      </td>
                      <td>
                        <Subjects
                          addresses={e.channels
                            .filter((c) => c.operations.some((op) => service.sends.includes(op)))
                            .map((c) => c.address)}
                        />
                      </td>
                      <td>
                        {subs.length === 0 ? (
                          <span className="muted">none</span>
                        ) : (
                          <ul className="inline-list">
                            {subs.map((s) => (
                              <li key={s.consumer}>
                                <ServiceLink id={s.consumer} />
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </Section>
        <Section id="receives" title={`Receives (${receives.length})`}>
          {receives.length === 0 ? (
            <p className="muted">Receives no events.</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">From</th>
                  <th scope="col">Contract</th>
                </tr>
              </thead>
              <tbody>
                {receives.map((e) => {
                  const sub = (site.subscriptions.get(e.type) ?? []).find((s) => s.consumer === service.id);
                  const c = sub?.operation?.consumer;
                  return (
                    <tr key={e.type}>
                      <td>
                        <EventLink event={e} />
                        {sub?.operation?.durable ? (
                          <div
                            className="muted small"
                            title={
                              c
                                ? `ack wait ${ms(c.ackWaitMs)}, max deliver ${c.maxDeliver}, backoff ${c.backoffMs.map(ms).join(' ')}`
                                : undefined
                            }
                          >
                            durable <code>{sub.operation.durable}</code>
                          </div>
                        ) : null}
                      </td>
                      <td>
                        {(site.producers.get(e.type) ?? []).map((p) => (
                          <ServiceLink key={p} id={p} />
                        ))}
                      </td>
                      <td>{sub ? <StatusBadge status={sub.status} /> : null}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </Section>
      </div>
    </Layout>
  );
}
