// eventkit's conventions (switch off with `conventions.subjects` / `conventions.cloudEvents`):
// subjects `<context>.<event-kebab>.v<major>.{key}`, versioned packages, CloudEvents headers.
import { diagnostic } from '../diagnostics.ts';
import { splitVersionedPackage, subjectMajor, usesJetStream } from '../names.ts';
import { eventProtocol } from '../query.ts';
import type { Diagnostic, EventChannel, EventModel } from '../types.ts';
import { below, type DesignRule } from './context.ts';

export const subjectConvention: DesignRule = (registry) => {
  const out: Diagnostic[] = [];
  for (const event of registry.events) {
    // eventkit's subject conventions are NATS subjects: a Kafka topic or an AMQP queue is checked as written.
    if (!usesJetStream(eventProtocol(registry, event))) continue;
    // Every channel of the message is checked: a message on two channels has two addresses to get right.
    for (const channel of event.channels) out.push(...channelConvention(event, channel));
  }
  return out;
};

function channelConvention(event: EventModel, channel: EventChannel): Diagnostic[] {
  const out: Diagnostic[] = [];
  const address = channel.address;
  if (!address) return out;
  const at = channel.location ?? event.location;
  const tokens = address.split('.');
  if (event.kind === 'event') {
    const expected = `${event.context}.${event.kebab}.v${event.major}.{<partitionKey>}`;
    const problems: string[] = [];
    if (tokens[0] !== event.context)
      problems.push(`starts with "${tokens[0]}" instead of the context "${event.context}"`);
    if (tokens[1] !== event.kebab) problems.push(`names "${tokens[1] ?? ''}" instead of "${event.kebab}"`);
    if (!channel.partitionKey) problems.push('does not end with a partition key parameter');
    if (problems.length > 0) {
      out.push(
        diagnostic('subject-convention', `subject ${address} ${problems.join(', ')}`, at, {
          hint: `Use ${expected}.`,
        }),
      );
    }
    const key = channel.partitionKey;
    if (
      key?.field &&
      event.payload.fields.length > 0 &&
      !event.payload.fields.some((f) => f.name === key.field)
    ) {
      out.push(
        diagnostic(
          'subject-convention',
          `partition key {${key.parameter}} names payload field "${key.field}", which ${event.type} does not have`,
          at,
          {
            hint: 'Name the parameter after a top-level payload field (JSON name) or set x-eventkit-field on the parameter.',
          },
        ),
      );
    }
  } else if (!event.replyOf) {
    const prefix = event.kind === 'query' ? 'query' : 'cmd';
    if (tokens[0] !== prefix || tokens[1] !== event.context) {
      out.push(
        diagnostic(
          'subject-convention',
          `${event.kind} address ${address} should start with ${prefix}.${event.context}.`,
          at,
          {
            hint: `Use ${prefix}.${event.context}.${event.kebab}.v${event.major} so it never falls under an event stream.`,
          },
        ),
      );
    }
  }
  return out;
}

export const eventVersion: DesignRule = (registry) => {
  const out: Diagnostic[] = [];
  for (const event of registry.events) {
    const pkg = splitVersionedPackage(event.package);
    if (pkg.major === undefined) {
      out.push(
        diagnostic(
          'event-version',
          `package ${event.package} of ${event.type} has no major version`,
          event.location,
          {
            hint: `Put the major version in the package: ${event.package}.v1.`,
          },
        ),
      );
    }
    if (event.replyOf || !usesJetStream(eventProtocol(registry, event))) continue;
    for (const channel of event.channels) {
      if (!channel.address) continue;
      const at = channel.location ?? event.location;
      const subject = subjectMajor(channel.address);
      if (subject === undefined) {
        out.push(
          diagnostic('event-version', `subject ${channel.address} has no version token (v<major>)`, at, {
            hint: `Add the major version: ${channel.address.split('.').slice(0, 2).join('.')}.v${pkg.major ?? 1}…`,
          }),
        );
      } else if (pkg.major !== undefined && subject !== pkg.major) {
        out.push(
          diagnostic(
            'event-version',
            `subject ${channel.address} says v${subject} but the package ${event.package} says v${pkg.major}`,
            at,
            { hint: 'A breaking change is a new package and a new subject; make them agree.' },
          ),
        );
      }
    }
  }
  return out;
};

export const headersCloudEvents: DesignRule = (registry, context) => {
  const out: Diagnostic[] = [];
  for (const event of registry.events) {
    // The CloudEvents NATS binding: other protocols have bindings of their own.
    if (event.kind !== 'event' || !usesJetStream(eventProtocol(registry, event))) continue;
    const headers = event.headers as
      | { properties?: Record<string, { const?: unknown; enum?: unknown[] }> }
      | undefined;
    const properties = headers?.properties ?? {};
    const missing = ['ce-type', 'ce-id'].filter((h) => !(h in properties));
    if (missing.length > 0) {
      out.push(
        diagnostic(
          'headers-cloudevents',
          `message ${event.name} does not declare the CloudEvents header${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
          headers ? below(context, event.location, '/headers') : event.location,
          {
            hint: 'Declare the CloudEvents NATS binding headers (ce-specversion, ce-id, ce-source, ce-type with const = event type, …) on the message.',
          },
        ),
      );
      continue;
    }
    const ceType = properties['ce-type'];
    const value =
      ceType?.const ?? (Array.isArray(ceType?.enum) && ceType.enum.length === 1 ? ceType.enum[0] : undefined);
    if (value !== event.type) {
      out.push(
        diagnostic(
          'headers-cloudevents',
          value === undefined
            ? `header ce-type of ${event.name} has no const (expected "${event.type}")`
            : `header ce-type is "${String(value)}" but the event type is ${event.type}`,
          below(context, event.location, '/headers/properties/ce-type'),
          {
            hint: `Set ce-type: { type: string, const: ${event.type} }.`,
          },
        ),
      );
    }
  }
  return out;
};
