// Small building blocks shared by the pages.
import type { HtmlNode } from '#html/jsx-runtime';
import type { EventModel, FieldModel } from '../../model/types.ts';
import type { ContractState, VersionDiff } from '../inputs.ts';
import { Markdown } from '../markdown.tsx';
import { urls } from '../urls.ts';
import { usePage } from './context.ts';

export function Link({ to, children, className }: { to: string; children: HtmlNode; className?: string }) {
  const { base } = usePage();
  return (
    <a href={base + to} className={className}>
      {children}
    </a>
  );
}

export function ServiceLink({ id }: { id: string }) {
  const { site } = usePage();
  return site.serviceById.has(id) ? (
    <Link to={urls.service(id)} className="service-link">
      {id}
    </Link>
  ) : (
    <span className="service-link service-link--unknown" title="Not in the registry">
      {id}
    </span>
  );
}

export function EventLink({ event, full = false }: { event: EventModel; full?: boolean }) {
  return (
    <Link to={urls.event(event.type)} className="event-link">
      {full ? event.type : event.name}
      {full ? null : <span className="version-tag">v{event.major}</span>}
    </Link>
  );
}

export function ContextChip({ name }: { name: string }) {
  return (
    <Link to={urls.context(name)} className="chip chip--context">
      {name}
    </Link>
  );
}

export function Badge({
  children,
  tone = 'neutral',
  title,
}: {
  children: HtmlNode;
  tone?: 'neutral' | 'accent' | 'ok' | 'warn' | 'bad' | 'saga';
  title?: string;
}) {
  return (
    <span className={`badge badge--${tone}`} title={title}>
      {children}
    </span>
  );
}

const STATUS_LABEL: Record<ContractState, string> = {
  verified: 'Verified',
  failing: 'Failing',
  unverified: 'Not verified yet',
  'no-contract': 'No contract',
};
const STATUS_TONE: Record<ContractState, 'ok' | 'bad' | 'warn' | 'neutral'> = {
  verified: 'ok',
  failing: 'bad',
  unverified: 'warn',
  'no-contract': 'neutral',
};
const STATUS_ICON: Record<ContractState, string> = {
  verified: '✓',
  failing: '✕',
  unverified: '…',
  'no-contract': '–',
};

export function StatusBadge({ status }: { status: ContractState }) {
  return (
    <span className={`status status--${status}`}>
      <span aria-hidden="true" className="status-icon">
        {STATUS_ICON[status]}
      </span>
      {STATUS_LABEL[status]}
    </span>
  );
}

export const statusLabel = (s: ContractState): string => STATUS_LABEL[s];
export const statusTone = (s: ContractState): string => STATUS_TONE[s];
export const statusIcon = (s: ContractState): string => STATUS_ICON[s];

/** Pre-highlighted code (the HTML comes from ./highlight.ts, which escapes everything). */
export function Code({ html, label, lang }: { html: string; label: string; lang: string }) {
  return (
    <figure className="code-block">
      <figcaption>
        <span>{label}</span>
        <span className="code-lang">{lang}</span>
      </figcaption>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable code must be reachable by keyboard */}
      <pre className="code" tabIndex={0}>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: highlight.ts escapes every character of the source */}
        <code dangerouslySetInnerHTML={{ __html: html }} />
      </pre>
    </figure>
  );
}

function FieldRow({ field, depth, path }: { field: FieldModel; depth: number; path: string }) {
  const nested = field.kind === 'message' && field.fields && field.fields.length > 0 && depth < 6;
  return (
    <li className="field" data-path={path}>
      <div className="field-row">
        <code className="field-name">{field.name}</code>
        <span className="field-type">
          {field.repeated ? <span className="field-repeated">repeated </span> : null}
          {field.type}
        </span>
        <span className="field-flags">
          {field.required ? <Badge tone="accent">required</Badge> : null}
          {field.deprecated ? <Badge tone="warn">deprecated</Badge> : null}
          {field.number !== undefined ? (
            <span className="field-number" title="Proto field number">
              #{field.number}
            </span>
          ) : null}
        </span>
      </div>
      {field.description ? (
        <div className="field-doc">
          <Markdown source={field.description} headingOffset={4} />
        </div>
      ) : null}
      {field.enumValues && field.enumValues.length > 0 ? (
        <ul className="enum-values" aria-label={`Values of ${field.name}`}>
          {field.enumValues.map((v) => (
            <li key={v.name} title={v.description}>
              <code>{v.name}</code>
              {v.number !== undefined ? <span className="enum-number">= {v.number}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {nested ? (
        <FieldList
          fields={field.fields ?? []}
          depth={depth + 1}
          prefix={`${path}${field.repeated ? '[]' : ''}.`}
        />
      ) : null}
    </li>
  );
}

export function FieldList({
  fields,
  depth = 0,
  prefix = '',
}: {
  fields: readonly FieldModel[];
  depth?: number;
  prefix?: string;
}) {
  return (
    <ul className={depth === 0 ? 'fields fields--root' : 'fields'}>
      {fields.map((f) => (
        <FieldRow key={f.name} field={f} depth={depth} path={`${prefix}${f.name}`} />
      ))}
    </ul>
  );
}

const CHANGE_LABEL: Record<string, string> = {
  added: 'added',
  removed: 'removed',
  'type-changed': 'type changed',
  'number-changed': 'field number changed',
  'cardinality-changed': 'cardinality changed',
  'required-changed': 'required changed',
  'enum-value-added': 'enum value added',
  'enum-value-removed': 'enum value removed',
};

export function DiffTable({ diff }: { diff: VersionDiff }) {
  if (diff.changes.length === 0) return <p className="muted">No field changes.</p>;
  return (
    <table className="table diff-table">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Change</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
          <th scope="col">Effect</th>
        </tr>
      </thead>
      <tbody>
        {diff.changes.map((c) => (
          <tr key={`${c.path}-${c.kind}-${c.from ?? ''}-${c.to ?? ''}`} className={`diff diff--${c.kind}`}>
            <td>
              <code>{c.path}</code>
            </td>
            <td>{CHANGE_LABEL[c.kind] ?? c.kind}</td>
            <td>{c.from ? <code>{c.from}</code> : '—'}</td>
            <td>{c.to ? <code>{c.to}</code> : '—'}</td>
            <td>{c.breaking ? <Badge tone="bad">breaking</Badge> : <Badge tone="ok">safe</Badge>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Section({
  id,
  title,
  children,
  actions,
}: {
  id: string;
  title: string;
  children: HtmlNode;
  actions?: HtmlNode;
}) {
  return (
    <section className="section" aria-labelledby={`${id}-title`} id={id}>
      <div className="section-head">
        <h2 id={`${id}-title`}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function Stat({ value, label, to }: { value: number | string; label: string; to?: string }) {
  const body = (
    <>
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
    </>
  );
  return to ? (
    <Link to={to} className="stat">
      {body}
    </Link>
  ) : (
    <div className="stat">{body}</div>
  );
}

export function HealthBar({ health }: { health: Readonly<Record<ContractState, number>> }) {
  const total = Object.values(health).reduce((a, b) => a + b, 0);
  const order: ContractState[] = ['verified', 'unverified', 'failing', 'no-contract'];
  return (
    <div className="health">
      <div
        className="health-bar"
        role="img"
        aria-label={order.map((s) => `${health[s]} ${statusLabel(s).toLowerCase()}`).join(', ')}
      >
        {total === 0
          ? null
          : order
              .filter((s) => health[s] > 0)
              .map((s) => (
                <span key={s} className={`health-seg health-seg--${s}`} style={{ flexGrow: health[s] }} />
              ))}
      </div>
      <ul className="health-legend">
        {order.map((s) => (
          <li key={s}>
            <span className={`dot dot--${s}`} aria-hidden="true" />
            <strong>{health[s]}</strong> {statusLabel(s).toLowerCase()}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The saga as a strip of steps: event, who sends it, who reacts. */
export function SagaStrip({ vertical = false }: { vertical?: boolean }) {
  const { site } = usePage();
  if (site.saga.length === 0) return null;
  return (
    <ol className={vertical ? 'saga saga--vertical' : 'saga'} aria-label={site.content.settings.sagaName}>
      {site.saga.map((type, i) => {
        const e = site.eventByType.get(type);
        if (!e) return null;
        return (
          <li key={type} className="saga-step">
            <span className="saga-index" aria-hidden="true">
              {i + 1}
            </span>
            <EventLink event={e} />
            <span className="saga-by">
              by <ServiceLink id={(site.producers.get(type) ?? [])[0] ?? e.producer ?? '?'} />
              {vertical ? (
                <>
                  {' → '}
                  {(site.subscriptions.get(type) ?? []).map((sub, j) => (
                    <span key={sub.consumer}>
                      {j > 0 ? ', ' : ''}
                      <ServiceLink id={sub.consumer} />
                    </span>
                  ))}
                </>
              ) : null}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

/** A NATS subject that may wrap at its dots, never inside a token. */
export function Subject({ value }: { value: string }) {
  const parts = value.split('.');
  return (
    <code className="subject">
      {parts.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: tokens of one subject repeat, their position is the identity
        <span key={i}>
          {i > 0 ? '.' : ''}
          {p}
          {i < parts.length - 1 ? <wbr /> : null}
        </span>
      ))}
    </code>
  );
}

/** Every address a message travels on (a message referenced by several channels has several). */
export function Subjects({ addresses }: { addresses: readonly string[] }) {
  if (addresses.length === 1) return <Subject value={addresses[0] ?? ''} />;
  return (
    <ul className="inline-list subjects">
      {addresses.map((address) => (
        <li key={address}>
          <Subject value={address} />
        </li>
      ))}
    </ul>
  );
}

/** The subscriptions that need attention first: failing, then not verified yet. */
export function AttentionList({ max = 5 }: { max?: number }) {
  const { site } = usePage();
  const rank = { failing: 0, unverified: 1, 'no-contract': 2, verified: 3 } as const;
  const items = [...site.subscriptions.values()]
    .flat()
    .filter((s) => s.event.kind === 'event' && (s.status === 'failing' || s.status === 'unverified'))
    .sort(
      (a, b) =>
        rank[a.status] - rank[b.status] ||
        a.event.type.localeCompare(b.event.type) ||
        a.consumer.localeCompare(b.consumer),
    );
  if (items.length === 0) return null;
  return (
    <>
      <h3 className="subheading">Needs attention ({items.length})</h3>
      <ul className="attention">
        {items.slice(0, max).map((s) => (
          <li key={`${s.consumer}/${s.event.type}`} className={`attention-item status--${s.status}`}>
            <span className="status-icon" title={statusLabel(s.status)}>
              {statusIcon(s.status)}
            </span>
            <EventLink event={s.event} />
            <span className="muted">→</span>
            <ServiceLink id={s.consumer} />
          </li>
        ))}
        {items.length > max ? <li className="muted">and {items.length - max} more</li> : null}
      </ul>
    </>
  );
}
