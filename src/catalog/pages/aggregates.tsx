// A service's event-sourced aggregates and their event-sourcing events: private to the service, shown apart
// from the integration events it sends, so nobody mistakes them for something to subscribe to.
import type { ServiceModel } from '../../model/types.ts';
import { Badge, FieldList, Section } from './components.tsx';

export function AggregatesSection({ service }: { service: ServiceModel }) {
  const aggregates = service.aggregates ?? [];
  if (aggregates.length === 0) return null;
  return (
    <Section id="aggregates" title={`Event-sourced aggregates (${aggregates.length})`}>
      <p className="muted">
        State kept as a sequence of events in {service.id}'s event store. These events are private: never
        published, no one else can subscribe to them; {service.id} translates them into the integration events
        it sends.
      </p>
      {aggregates.map((aggregate) => (
        <div className="aggregate" key={aggregate.name} id={`aggregate-${aggregate.name}`}>
          <h3>
            {aggregate.name} <Badge tone="neutral">private</Badge>
          </h3>
          {aggregate.description ? <p>{aggregate.description}</p> : null}
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Event-sourcing event</th>
                <th scope="col">Fields</th>
              </tr>
            </thead>
            <tbody>
              {aggregate.events.map((event) => (
                <tr key={event.type}>
                  <td>
                    <code>{event.type}</code>
                    {event.description ? <div className="muted small">{event.description}</div> : null}
                    <div className="muted small">
                      <code>{event.protoFile}</code>
                    </div>
                  </td>
                  <td>
                    {event.fields.length === 0 ? (
                      <span className="muted">no fields</span>
                    ) : (
                      <FieldList fields={event.fields} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </Section>
  );
}
