// A registry at a glance: services, events per context, streams, consumers.
import type { Registry } from '../../model/types.ts';
import type { Colors } from './colors.ts';
import { formatTable } from './table.ts';

export interface RegistrySummary {
  readonly services: readonly {
    readonly id: string;
    readonly context: string;
    readonly sends: number;
    readonly receives: number;
    readonly file: string;
  }[];
  readonly contexts: readonly {
    readonly context: string;
    readonly events: number;
    readonly commands: number;
    readonly queries: number;
  }[];
  readonly streams: readonly {
    readonly name: string;
    readonly subjects: number;
    readonly consumers: number;
  }[];
  readonly consumers: readonly {
    readonly durable: string;
    readonly service: string;
    readonly eventType: string;
    readonly stream: string;
  }[];
}

export function summarizeRegistry(registry: Registry): RegistrySummary {
  const contexts = [...new Set(registry.events.map((e) => e.context))].sort();
  const streamOfType = new Map(registry.events.map((e) => [e.type, e.stream ?? '']));
  const consumers = registry.operations
    .filter((o) => o.durable)
    .map((o) => ({
      durable: o.durable as string,
      service: o.service,
      eventType: o.eventTypes[0] ?? '',
      stream: streamOfType.get(o.eventTypes[0] ?? '') ?? '',
    }));
  return {
    services: registry.services.map((s) => ({
      id: s.id,
      context: s.context,
      sends: s.sends.length,
      receives: s.receives.length,
      file: s.document.file,
    })),
    contexts: contexts.map((context) => {
      const of = registry.events.filter((e) => e.context === context && !e.replyOf);
      return {
        context,
        events: of.filter((e) => e.kind === 'event').length,
        commands: of.filter((e) => e.kind === 'command').length,
        queries: of.filter((e) => e.kind === 'query').length,
      };
    }),
    streams: registry.streams.map((s) => ({
      name: s.name,
      subjects: s.subjects.length,
      consumers: consumers.filter((c) => c.stream === s.name).length,
    })),
    consumers,
  };
}

export function formatRegistrySummary(summary: RegistrySummary, c: Colors): string {
  return [
    formatTable(
      ['service', 'context', 'sends', 'receives', 'document'],
      summary.services.map((s) => [s.id, s.context, String(s.sends), String(s.receives), s.file]),
      c,
    ),
    formatTable(
      ['context', 'events', 'commands', 'queries'],
      summary.contexts.map((x) => [x.context, String(x.events), String(x.commands), String(x.queries)]),
      c,
    ),
    formatTable(
      ['stream', 'subjects', 'consumers'],
      summary.streams.map((s) => [s.name, String(s.subjects), String(s.consumers)]),
      c,
    ),
    formatTable(
      ['durable consumer', 'service', 'event', 'stream'],
      summary.consumers.map((x) => [x.durable, x.service, x.eventType, x.stream]),
      c,
    ),
  ].join('\n\n');
}
