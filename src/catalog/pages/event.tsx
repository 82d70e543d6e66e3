// One event at one major version: what it carries, where it flows, who relies on which fields, how it evolved.

import { protocolWords, usesJetStream } from '../../model/names.ts';
import { eventProtocol } from '../../model/query.ts';
import type { EventModel, JsonSchema } from '../../model/types.ts';
import { Markdown, plainText } from '../markdown.tsx';
import { urls } from '../urls.ts';
import {
  Badge,
  Code,
  ContextChip,
  DiffTable,
  EventLink,
  FieldList,
  Link,
  Section,
  ServiceLink,
  StatusBadge,
  Subject,
} from './components.tsx';
import { usePage } from './context.ts';
import { Breadcrumbs, Layout } from './layout.tsx';

export interface EventPageData {
  readonly event: EventModel;
  readonly tags: readonly string[];
  /** Highlighted HTML of the message's proto declaration (and the file-local types it uses). */
  readonly protoHtml?: string;
  /** Site path of the full proto file copy. */
  readonly protoHref?: string;
  readonly exampleHtml?: string;
  readonly publishHtml?: string;
  readonly subscribeHtml?: string;
}

function headerRows(
  headers: JsonSchema | undefined,
): { name: string; required: boolean; detail: string; description?: string }[] {
  const props = headers?.properties;
  if (!props || typeof props !== 'object') return [];
  const required = new Set(Array.isArray(headers.required) ? (headers.required as string[]) : []);
  return Object.entries(props as Record<string, Record<string, unknown>>).map(([name, schema]) => {
    const detail =
      schema.const !== undefined
        ? `= ${String(schema.const)}`
        : [schema.type, schema.format].filter(Boolean).join(', ');
    return {
      name,
      required: required.has(name),
      detail,
      ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    };
  });
}

export function EventPage({ data }: { data: EventPageData }) {
  const { site } = usePage();
  const { event: e } = data;
  const subs = site.subscriptions.get(e.type) ?? [];
  const producers = site.producers.get(e.type) ?? (e.producer ? [e.producer] : []);
  const versions = site.versions.get(`${e.context}/${e.name}`) ?? [e];
  const headers = headerRows(e.headers);
  const onSaga = site.saga.includes(e.type);
  // The protocol's own words: a Kafka topic, an AMQP queue, an MQTT topic, a NATS subject.
  const protocol = eventProtocol(site.registry, e);
  const words = protocolWords(protocol);
  const Word = words.address.charAt(0).toUpperCase() + words.address.slice(1);
  const toc = [
    ['overview', 'Overview'],
    ['flow', 'Producers & consumers'],
    ['payload', 'Payload'],
    ...(data.exampleHtml ? [['example', 'Example']] : []),
    ...(data.protoHtml ? [['proto', 'Proto']] : []),
    ...(headers.length > 0 ? [['headers', 'Headers']] : []),
    ['versions', 'Versions'],
    ['usage', 'Usage'],
  ] as const;
  return (
    <Layout
      title={`${e.name} v${e.major}`}
      section="events"
      description={plainText(e.summary ?? e.description)}
    >
      <Breadcrumbs
        items={[
          { label: 'Overview', to: urls.home() },
          { label: e.context, to: urls.context(e.context) },
          { label: `${e.name} v${e.major}` },
        ]}
      />
      <div className="page-head">
        <div>
          <p className="eyebrow">
            {e.kind === 'event' ? 'Event' : e.kind === 'command' ? 'Command' : 'Query'}
          </p>
          <h1>
            {e.name} <span className="title-version">v{e.major}</span>
          </h1>
          <p className="page-meta">
            <code>{e.type}</code> <ContextChip name={e.context} />
            {e.deprecated ? <Badge tone="warn">deprecated</Badge> : null}
            {onSaga ? <Badge tone="saga">saga step {site.saga.indexOf(e.type) + 1}</Badge> : null}
            {data.tags
              .filter((t) => t !== 'saga')
              .map((t) => (
                <Badge key={t}>{t}</Badge>
              ))}
          </p>
        </div>
      </div>
      <div className="with-toc">
        <nav className="toc" aria-label="On this page">
          <p className="toc-title">On this page</p>
          <ul>
            {toc.map(([id, label]) => (
              <li key={id}>
                <a href={`#${id}`}>{label}</a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="content">
          <Section id="overview" title="Overview">
            {(e.description ?? e.summary) ? (
              <div className="lead">
                <Markdown source={e.description ?? e.summary ?? ''} headingOffset={2} />
              </div>
            ) : null}
            <dl className="facts">
              <div>
                <dt>Type</dt>
                <dd>
                  <code>{e.type}</code>
                </dd>
              </div>
              <div>
                <dt>{e.channels.length > 1 ? `${Word}s (${e.channels.length} channels)` : Word}</dt>
                <dd>
                  {e.channels.map((c) => (
                    <div key={c.address} className="channel">
                      <Subject value={c.address} />
                      {c.subjectFilter && usesJetStream(protocol) ? (
                        <div className="muted small">
                          filter <code>{c.subjectFilter}</code>
                        </div>
                      ) : null}
                    </div>
                  ))}
                </dd>
              </div>
              <div>
                <dt>Partition key</dt>
                <dd>
                  {e.partitionKey ? (
                    <>
                      <code>{`{${e.partitionKey.parameter}}`}</code>
                      {e.partitionKey.field ? (
                        <span className="muted">
                          {' '}
                          from <code>{e.partitionKey.field}</code>
                        </span>
                      ) : null}
                    </>
                  ) : (
                    <span className="muted">none</span>
                  )}
                </dd>
              </div>
              <div>
                <dt>Stream</dt>
                <dd>
                  {e.stream ? (
                    <code>{e.stream}</code>
                  ) : !usesJetStream(protocol) ? (
                    <span className="muted">
                      {words.broker} {words.address}, not a JetStream stream
                    </span>
                  ) : (
                    <span className="muted">not stored (request/reply)</span>
                  )}
                </dd>
              </div>
              <div>
                <dt>Content type</dt>
                <dd>
                  <code>{e.contentType}</code>
                </dd>
              </div>
              {e.replyType ? (
                <div>
                  <dt>Reply</dt>
                  <dd>
                    {site.eventByType.get(e.replyType) ? (
                      <EventLink event={site.eventByType.get(e.replyType) as EventModel} full />
                    ) : (
                      <code>{e.replyType}</code>
                    )}
                  </dd>
                </div>
              ) : null}
              <div>
                <dt>Defined in</dt>
                <dd>
                  <code>
                    {e.location.file}:{e.location.line}
                  </code>
                </dd>
              </div>
            </dl>
          </Section>

          <Section id="flow" title="Producers & consumers">
            <div className="flow-row">
              <div className="flow-col">
                <h3 className="flow-heading">Sent by</h3>
                <ul className="plain-list">
                  {producers.length === 0 ? <li className="muted">no producer declared</li> : null}
                  {producers.map((p) => (
                    <li key={p}>
                      <ServiceLink id={p} />
                      {site.sendOperation.get(e.type)?.service === p ? (
                        <span className="muted small">
                          {' '}
                          <code>{site.sendOperation.get(e.type)?.operationId}</code>
                        </span>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </div>
              <div className="flow-arrow" aria-hidden="true">
                →
              </div>
              <div className="flow-col flow-col--wide">
                <h3 className="flow-heading">Received by ({subs.length})</h3>
                {subs.length === 0 ? (
                  <p className="muted">Nobody receives this event yet.</p>
                ) : (
                  <table className="table consumers">
                    <thead>
                      <tr>
                        <th scope="col">Consumer</th>
                        <th scope="col">Contract</th>
                        <th scope="col">Fields it relies on</th>
                      </tr>
                    </thead>
                    <tbody>
                      {subs.map((s) => (
                        <tr key={s.consumer} data-consumer={s.consumer}>
                          <td>
                            <ServiceLink id={s.consumer} />
                            {s.operation?.durable ? (
                              <div className="muted small">
                                <code>{s.operation.durable}</code>
                              </div>
                            ) : null}
                          </td>
                          <td>
                            <StatusBadge status={s.status} />
                            {s.contracts.find((c) => c.failure) ? (
                              <div className="small failure">
                                {s.contracts.find((c) => c.failure)?.failure}
                              </div>
                            ) : null}
                          </td>
                          <td>
                            {s.fieldsUsed.length === 0 ? (
                              <span className="muted">
                                {s.status === 'no-contract' ? 'unknown — no pact' : 'none'}
                              </span>
                            ) : (
                              <ul className="inline-list">
                                {s.fieldsUsed.map((f) => (
                                  <li key={f}>
                                    <code className="field-chip">{f}</code>
                                  </li>
                                ))}
                              </ul>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </div>
            </div>
          </Section>

          <Section id="payload" title="Payload">
            <p className="muted">
              {e.payload.kind === 'protobuf' ? (
                <>
                  Protobuf message <code>{e.payload.messageType}</code>, shown in its proto3 JSON view.
                </>
              ) : e.payload.kind === 'avro' ? (
                <>
                  Avro schema
                  {e.payload.avroName ? (
                    <>
                      {' '}
                      <code>{e.payload.avroName}</code>
                    </>
                  ) : null}
                  , shown in the JSON view its examples are written in. eventkit's runtime has no Avro codec:
                  generated code has its types and examples only.
                </>
              ) : (
                'JSON Schema payload.'
              )}
            </p>
            {e.payload.fields.length === 0 ? (
              <p className="muted">No fields.</p>
            ) : (
              <FieldList fields={e.payload.fields} />
            )}
          </Section>

          <div className="grid-2 grid-2--sources">
            {data.exampleHtml ? (
              <Section id="example" title="Example">
                <Code
                  html={data.exampleHtml}
                  label={e.examples[0]?.summary ?? e.examples[0]?.name ?? 'Example payload'}
                  lang="json"
                />
              </Section>
            ) : null}

            {data.protoHtml && e.payload.kind === 'protobuf' ? (
              <Section
                id="proto"
                title="Proto"
                actions={data.protoHref ? <Link to={data.protoHref}>Full file</Link> : undefined}
              >
                <Code html={data.protoHtml} label={e.payload.messageType} lang="proto" />
              </Section>
            ) : null}
          </div>

          {headers.length > 0 ? (
            <Section id="headers" title="Headers">
              <table className="table headers-table">
                <thead>
                  <tr>
                    <th scope="col">Header</th>
                    <th scope="col">Value</th>
                    <th scope="col">Notes</th>
                  </tr>
                </thead>
                <tbody>
                  {headers.map((h) => (
                    <tr key={h.name}>
                      <td>
                        <code>{h.name}</code> {h.required ? <Badge tone="accent">required</Badge> : null}
                      </td>
                      <td>
                        <code>{h.detail}</code>
                      </td>
                      <td className="muted">{h.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Section>
          ) : null}

          <Section id="versions" title="Versions">
            <ol className="versions">
              {versions.map((v) => {
                const diff = site.diffTo.get(v.type);
                return (
                  <li key={v.type} className={v.type === e.type ? 'version version--current' : 'version'}>
                    <div className="version-head">
                      {v.type === e.type ? (
                        <strong>
                          v{v.major} <span className="muted">(this page)</span>
                        </strong>
                      ) : (
                        <EventLink event={v} />
                      )}
                      <code className="muted">{v.type}</code>
                      {v.deprecated ? <Badge tone="warn">deprecated</Badge> : null}
                      {diff ? (
                        <Badge tone={diff.class === 'breaking' ? 'bad' : 'ok'}>{diff.class}</Badge>
                      ) : (
                        <Badge>first version</Badge>
                      )}
                    </div>
                    {diff ? (
                      <details className="diff-details" open={v.type === e.type}>
                        <summary>
                          Changes from v{site.eventByType.get(diff.from)?.major ?? '?'} ({diff.changes.length}
                          )
                        </summary>
                        <DiffTable diff={diff} />
                      </details>
                    ) : null}
                  </li>
                );
              })}
            </ol>
          </Section>

          <Section id="usage" title="Usage">
            <p className="muted">
              With the code generated by <code>eventkit codegen</code> into{' '}
              <code>{`${site.registry.config.output.codegen}/<service>/generated`}</code>.
            </p>
            {data.publishHtml || data.subscribeHtml ? null : (
              <p>
                {e.payload.kind === 'avro'
                  ? "Payload types and examples only: eventkit's runtime has no Avro codec, so there is no publisher or handler for this event."
                  : `Payload types and examples only: eventkit's publishers and handlers run on NATS, and this event travels on ${words.broker}.`}
              </p>
            )}
            <div className="grid-2 grid-2--code">
              {data.publishHtml ? <Code html={data.publishHtml} label="Publish" lang="ts" /> : null}
              {data.subscribeHtml ? <Code html={data.subscribeHtml} label="Subscribe" lang="ts" /> : null}
            </div>
          </Section>
        </div>
      </div>
    </Layout>
  );
}
