// One trace as a text tree: the spans of a saga, each under its parent, with the service that ran it.
// Used by the trace test (to print the README's tree) and by `tools/otel/saga-trace.ts`.
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { MESSAGING } from '../../src/runtime/telemetry.ts';

/** The service a span ran in: the consumer group's or responder's service, else the event's source. */
export function spanService(span: ReadableSpan): string {
  const group = span.attributes[MESSAGING.consumerGroup];
  if (typeof group === 'string') return group.split('--')[0] as string;
  const source = span.attributes[MESSAGING.eventSource];
  return typeof source === 'string' ? source : '?';
}

const KIND: Record<SpanKind, string> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

const startOf = (s: ReadableSpan) => s.startTime[0] * 1e9 + s.startTime[1];

/**
 * The spans of one trace as a tree (children by start time). A span whose parent is not among them is a
 * root. `durations: false` leaves the milliseconds out (stable output for documentation).
 */
export function spanTree(spans: readonly ReadableSpan[], options: { durations?: boolean } = {}): string {
  const ids = new Set(spans.map((s) => s.spanContext().spanId));
  const children = new Map<string, ReadableSpan[]>();
  for (const s of spans) {
    const parent = s.parentSpanContext?.spanId;
    const key = parent && ids.has(parent) ? parent : '';
    children.set(key, [...(children.get(key) ?? []), s]);
  }
  const lines: string[] = [];
  const walk = (key: string, prefix: string) => {
    const list = [...(children.get(key) ?? [])].sort((a, b) => startOf(a) - startOf(b));
    list.forEach((s, i) => {
      const last = i === list.length - 1;
      const branch = key === '' ? '' : last ? '└─ ' : '├─ ';
      const parent = s.parentSpanContext?.spanId;
      const linked = parent !== undefined && s.links.some((l) => l.context.spanId === parent);
      const ms = s.duration[0] * 1e3 + s.duration[1] / 1e6;
      const notes = [
        `${KIND[s.kind]}, ${spanService(s)}`,
        ...(linked ? ['linked to parent'] : []),
        ...(options.durations === false ? [] : [`${ms.toFixed(1)} ms`]),
      ];
      lines.push(`${prefix}${branch}${s.name}  (${notes.join(', ')})`);
      walk(s.spanContext().spanId, key === '' ? prefix : `${prefix}${last ? '   ' : '│  '}`);
    });
  };
  walk('', '');
  return lines.join('\n');
}
