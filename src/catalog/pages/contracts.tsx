// Contracts: consumer × provider with verification status, and the can-i-deploy answer per service.
import type { CanIDeploy, ContractState } from '../inputs.ts';
import type { SiteModel, Subscription } from '../site-model.ts';
import { urls } from '../urls.ts';
import {
  Badge,
  EventLink,
  HealthBar,
  Link,
  Section,
  ServiceLink,
  StatusBadge,
  statusIcon,
  statusLabel,
} from './components.tsx';
import { usePage } from './context.ts';
import { Layout } from './layout.tsx';

const MATRIX_MAX = 40;

interface Pair {
  readonly consumer: string;
  readonly provider: string;
  readonly subscriptions: Subscription[];
  status: ContractState;
}

function combine(states: readonly ContractState[]): ContractState {
  if (states.includes('failing')) return 'failing';
  if (states.every((s) => s === 'verified')) return 'verified';
  if (states.every((s) => s === 'no-contract')) return 'no-contract';
  return 'unverified';
}

export function contractPairs(site: SiteModel): Pair[] {
  const pairs = new Map<string, Pair>();
  for (const [type, subs] of site.subscriptions) {
    if (site.eventByType.get(type)?.kind !== 'event') continue;
    const provider = (site.producers.get(type) ?? [])[0] ?? site.eventByType.get(type)?.producer ?? '?';
    for (const s of subs) {
      const key = `${s.consumer}\u0000${provider}`;
      const pair = pairs.get(key) ?? {
        consumer: s.consumer,
        provider,
        subscriptions: [],
        status: 'no-contract',
      };
      pair.subscriptions.push(s);
      pairs.set(key, pair);
    }
  }
  for (const p of pairs.values()) p.status = combine(p.subscriptions.map((s) => s.status));
  return [...pairs.values()].sort((a, b) =>
    a.consumer === b.consumer ? a.provider.localeCompare(b.provider) : a.consumer.localeCompare(b.consumer),
  );
}

/** The recorded answer, else one derived from the statuses (deployable when nothing it touches is failing). */
function deployAnswer(
  site: SiteModel,
  service: string,
  pairsByService: ReadonlyMap<string, readonly Pair[]>,
): { answer: CanIDeploy | undefined; derived: boolean; state: 'yes' | 'no' | 'unknown' } {
  const recorded = site.canIDeploy.get(service);
  if (recorded) return { answer: recorded, derived: false, state: recorded.deployable ? 'yes' : 'no' };
  const mine = pairsByService.get(service) ?? [];
  if (mine.some((p) => p.status === 'failing')) return { answer: undefined, derived: true, state: 'no' };
  if (mine.length > 0 && mine.every((p) => p.status === 'verified'))
    return { answer: undefined, derived: true, state: 'yes' };
  return { answer: undefined, derived: true, state: 'unknown' };
}

function DeployCell({
  state,
  derived,
  reasons,
}: {
  state: 'yes' | 'no' | 'unknown';
  derived: boolean;
  reasons?: readonly string[];
}) {
  const title = [
    derived ? 'Derived from verification results' : 'From can-i-deploy',
    ...(reasons ?? []),
  ].join('\n');
  return (
    <span title={title}>
      {state === 'yes' ? (
        <Badge tone="ok">yes</Badge>
      ) : state === 'no' ? (
        <Badge tone="bad">no</Badge>
      ) : (
        <Badge>unknown</Badge>
      )}
    </span>
  );
}

export function ContractsPage() {
  const { site } = usePage();
  const pairs = contractPairs(site);
  const consumers = [...new Set(pairs.map((p) => p.consumer))].sort();
  const providers = [...new Set(pairs.map((p) => p.provider))].sort();
  const byKey = new Map(pairs.map((p) => [`${p.consumer}\u0000${p.provider}`, p]));
  const pairsByService = new Map<string, Pair[]>();
  for (const p of pairs) {
    for (const who of p.consumer === p.provider ? [p.consumer] : [p.consumer, p.provider]) {
      const list = pairsByService.get(who) ?? [];
      list.push(p);
      pairsByService.set(who, list);
    }
  }
  const matrix = consumers.length <= MATRIX_MAX && providers.length <= MATRIX_MAX;
  const services = site.registry.services.map((s) => s.id);
  const hasResults = site.inputs.contracts.length > 0 || site.inputs.canIDeploy.length > 0;
  return (
    <Layout
      title="Contracts"
      section="contracts"
      description="Consumer-driven contracts and their verification."
    >
      <div className="page-head">
        <div>
          <p className="eyebrow">Pact message contracts</p>
          <h1>Contracts</h1>
          <p className="lead">
            Each consumer's pact for each provider, and whether the provider's last verification honoured it.
          </p>
        </div>
      </div>
      <Section id="health" title="Health">
        <HealthBar health={site.health} />
        {!hasResults ? (
          <p className="callout">
            No pacts found yet. Consumers write them under <code>{site.registry.config.output.pacts}</code>
            and results go to <code>{site.registry.config.output.results}</code>.
          </p>
        ) : null}
      </Section>
      {matrix ? (
        <Section id="matrix" title="Consumer × provider">
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex lint/a11y/useSemanticElements: a scrollable region must be focusable and named */}
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Contracts matrix">
            <table className="table matrix">
              <caption className="visually-hidden">
                Rows are consumers, columns are providers; each cell is the combined status of the consumer's
                contracts with that provider.
              </caption>
              <thead>
                <tr>
                  <th scope="col">Consumer ↓ · Provider →</th>
                  {providers.map((p) => (
                    <th key={p} scope="col" className="matrix-col">
                      <ServiceLink id={p} />
                    </th>
                  ))}
                  <th scope="col">Can deploy?</th>
                </tr>
              </thead>
              <tbody>
                {consumers.map((c) => {
                  const d = deployAnswer(site, c, pairsByService);
                  return (
                    <tr key={c}>
                      <th scope="row">
                        <ServiceLink id={c} />
                      </th>
                      {providers.map((p) => {
                        const pair = byKey.get(`${c}\u0000${p}`);
                        if (!pair)
                          return (
                            <td key={p} className="matrix-cell matrix-cell--empty" aria-label="no events" />
                          );
                        const title = pair.subscriptions
                          .map((s) => `${s.event.name} v${s.event.major}: ${statusLabel(s.status)}`)
                          .join('\n');
                        return (
                          <td
                            key={p}
                            className={`matrix-cell matrix-cell--${pair.status}`}
                            title={title}
                            data-status={pair.status}
                          >
                            <a href={`#pair-${c}-${p}`}>
                              <span aria-hidden="true">{statusIcon(pair.status)}</span>
                              <span className="visually-hidden">{statusLabel(pair.status)}, </span>
                              <span className="matrix-count">{pair.subscriptions.length}</span>
                            </a>
                          </td>
                        );
                      })}
                      <td>
                        <DeployCell state={d.state} derived={d.derived} reasons={d.answer?.reasons} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </Section>
      ) : (
        <Section id="deploy" title="Can I deploy?">
          <ul className="inline-list">
            {services.map((s) => {
              const d = deployAnswer(site, s, pairsByService);
              return (
                <li key={s} className="deploy-item">
                  <ServiceLink id={s} />{' '}
                  <DeployCell state={d.state} derived={d.derived} reasons={d.answer?.reasons} />
                </li>
              );
            })}
          </ul>
        </Section>
      )}
      {matrix ? (
        <Section id="pairs" title={`Pairs (${pairs.length})`}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Consumer</th>
                <th scope="col">Provider</th>
                <th scope="col">Events</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {pairs.map((p) => (
                <tr key={`${p.consumer}-${p.provider}`} id={`pair-${p.consumer}-${p.provider}`}>
                  <td>
                    <ServiceLink id={p.consumer} />
                  </td>
                  <td>
                    <ServiceLink id={p.provider} />
                  </td>
                  <td>
                    <ul className="inline-list">
                      {p.subscriptions.map((s) => (
                        <li key={s.event.type} className={`pair-event pair-event--${s.status}`}>
                          <EventLink event={s.event} />{' '}
                          <span className="sr-status">{statusIcon(s.status)}</span>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <StatusBadge status={p.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      ) : (
        <Section id="consumers" title={`Consumers (${consumers.length})`}>
          <p className="muted">
            Each consumer's subscriptions by contract state; its service page lists them one by one.
          </p>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Consumer</th>
                <th scope="col">Providers</th>
                <th scope="col">Verified</th>
                <th scope="col">Not verified yet</th>
                <th scope="col">Failing</th>
                <th scope="col">No contract</th>
              </tr>
            </thead>
            <tbody>
              {consumers.map((c) => {
                const counts = { verified: 0, unverified: 0, failing: 0, 'no-contract': 0 };
                let providerCount = 0;
                for (const p of pairsByService.get(c) ?? []) {
                  if (p.consumer !== c) continue;
                  providerCount++;
                  for (const sub of p.subscriptions) counts[sub.status]++;
                }
                return (
                  <tr key={c}>
                    <td>
                      <ServiceLink id={c} />
                    </td>
                    <td>{providerCount}</td>
                    <td>{counts.verified}</td>
                    <td>{counts.unverified}</td>
                    <td className={counts.failing > 0 ? 'failure' : undefined}>{counts.failing}</td>
                    <td>{counts['no-contract']}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Section>
      )}
      {matrix ? null : (
        <p className="muted">
          {consumers.length} consumers × {providers.length} providers is too wide for a matrix; see{' '}
          <Link to={urls.flow()}>the flow</Link> for the context view.
        </p>
      )}
    </Layout>
  );
}
