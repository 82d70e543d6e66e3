// Event-sourced aggregates a service declares in `info.x-eventkit-aggregates`: their event-sourcing events are
// proto messages of the service's own protos, private to it (never published, never in a channel). The
// registry keeps them apart from integration events so the catalog can list them as such and lint can
// refuse one that is also published.
import { diagnostic } from '../diagnostics.ts';
import { protoFieldModels } from '../proto/json-view.ts';
import type { ProtoLibrary } from '../proto/library.ts';
import type { AggregateModel, Diagnostic, SourceLocation } from '../types.ts';

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Aggregate type names become stream names and SQL keys (see eventkit/eventstore's names). */
const AGGREGATE_NAME = /^[A-Z][A-Za-z0-9]*$/;

export interface AggregateInput {
  readonly info: Raw;
  readonly locate: (segments: readonly (string | number)[]) => SourceLocation;
  readonly library: ProtoLibrary;
  readonly diagnostics: Diagnostic[];
}

export function readAggregates({ info, locate, library, diagnostics }: AggregateInput): AggregateModel[] {
  const declared = info['x-eventkit-aggregates'];
  if (declared === undefined) return [];
  const base = ['info', 'x-eventkit-aggregates'];
  if (!isObject(declared)) {
    diagnostics.push(
      diagnostic(
        'eventkit-extension',
        'x-eventkit-aggregates must map aggregate names to { events: [...] }',
        locate(base),
        {
          hint: 'e.g. x-eventkit-aggregates: { Order: { events: [orders.es.v1.OrderPlaced] } }',
        },
      ),
    );
    return [];
  }
  const aggregates: AggregateModel[] = [];
  for (const name of Object.keys(declared).sort()) {
    const at = [...base, name];
    const spec = declared[name];
    if (!AGGREGATE_NAME.test(name)) {
      diagnostics.push(
        diagnostic('eventkit-extension', `aggregate name "${name}" is not a type name`, locate(at), {
          hint: 'Use PascalCase letters and digits, e.g. Order or ShoppingCart.',
        }),
      );
      continue;
    }
    const events = isObject(spec) ? spec.events : undefined;
    if (!Array.isArray(events) || events.length === 0 || !events.every((e) => typeof e === 'string')) {
      diagnostics.push(
        diagnostic(
          'eventkit-extension',
          `aggregate ${name} needs events: a list of proto message names`,
          locate(at),
          {
            hint: 'List the fully qualified proto messages its event store holds, e.g. orders.es.v1.OrderPlaced.',
          },
        ),
      );
      continue;
    }
    const models: AggregateModel['events'][number][] = [];
    events.forEach((raw, i) => {
      const typeName = String(raw).replace(/^\./, '');
      const type = library.findType(typeName);
      if (!type) {
        diagnostics.push(
          diagnostic(
            'proto-not-found',
            `event-sourcing event "${typeName}" of aggregate ${name} is not a proto message in the proto roots`,
            locate([...at, 'events', i]),
            {
              hint: 'Declare the message in a .proto file under a proto root, or fix the name (package + message).',
            },
          ),
        );
        return;
      }
      models.push({
        type: typeName,
        name: type.name,
        fields: protoFieldModels(type, (t, m) => library.locate(t, m)),
        protoFile: library.fileOf(typeName)?.file ?? '',
        ...(type.comment ? { description: type.comment.trim() } : {}),
        location: library.locate(typeName) ?? locate([...at, 'events', i]),
      });
    });
    const description = isObject(spec) && typeof spec.description === 'string' ? spec.description : undefined;
    aggregates.push({ name, ...(description ? { description } : {}), events: models, location: locate(at) });
  }
  return aggregates;
}

/** An event-sourcing event that is also an integration event leaks private state: an error each. */
export function publishedAggregateEvents(
  services: readonly { readonly id: string; readonly aggregates?: readonly AggregateModel[] }[],
  integrationTypes: ReadonlySet<string>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const service of services)
    for (const aggregate of service.aggregates ?? [])
      for (const event of aggregate.events)
        if (integrationTypes.has(event.type))
          out.push(
            diagnostic(
              'aggregate-event-published',
              `${event.type} is an event-sourcing event of ${service.id}'s ${aggregate.name} and also an integration event`,
              event.location,
              {
                hint: 'Keep event-sourcing events private: publish a separate integration event, translated from it in one place.',
              },
            ),
          );
  return out;
}
