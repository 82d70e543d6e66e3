// JetStream rules: durable names unique per stream; commands/queries never under a stream's subjects;
// streams never overlap each other (the server rejects that).
import { diagnostic } from '../diagnostics.ts';
import { subjectFilter, subjectsOverlap } from '../names.ts';
import { eventByType } from '../query.ts';
import type { Diagnostic } from '../types.ts';
import type { DesignRule } from './context.ts';

export const durableUnique: DesignRule = (registry) => {
  const out: Diagnostic[] = [];
  const seen = new Map<string, string>();
  for (const op of registry.operations) {
    // Every (operation, event type) pair has its own durable; an operation without the map has one.
    const pairs = op.durables
      ? Object.entries(op.durables)
      : op.durable
        ? [[op.eventTypes[0] ?? '', op.durable] as const]
        : [];
    for (const [type, durable] of pairs) {
      const stream = eventByType(registry, type)?.stream ?? '';
      const key = `${stream}\u0000${durable}`;
      const first = seen.get(key);
      if (first) {
        out.push(
          diagnostic(
            'durable-unique',
            `durable consumer name ${durable} is already used by ${first}${stream ? ` on stream ${stream}` : ''}`,
            op.location,
            {
              hint: 'Give each receive operation its own durable (default <service>--<event-kebab>-v<major>); durable names are part of the contract.',
            },
          ),
        );
      } else seen.set(key, op.id);
    }
  }
  return out;
};

export const streamOverlap: DesignRule = (registry) => {
  const out: Diagnostic[] = [];
  const requestSubjects: { filter: string; what: string; location: Diagnostic['location'] }[] = [];
  for (const event of registry.events) {
    if (event.kind === 'event' || event.replyOf) continue;
    for (const channel of event.channels) {
      if (!channel.subjectFilter) continue;
      requestSubjects.push({
        filter: channel.subjectFilter,
        what: `${event.kind} ${event.type} (${channel.address})`,
        location: channel.location ?? event.location,
      });
    }
  }
  for (const op of registry.operations) {
    if (
      op.requestReply &&
      op.channelAddress &&
      !op.eventTypes.some((t) =>
        eventByType(registry, t)?.channels.some((c) => c.address === op.channelAddress),
      )
    ) {
      requestSubjects.push({
        filter: subjectFilter(op.channelAddress),
        what: `request/reply operation ${op.id} (${op.channelAddress})`,
        location: op.channelLocation ?? op.location,
      });
    }
  }
  for (const stream of registry.streams) {
    for (const subject of stream.subjects) {
      for (const request of requestSubjects) {
        if (subjectsOverlap(subject, request.filter)) {
          out.push(
            diagnostic(
              'stream-overlap',
              `${request.what} falls under subject ${subject} of stream ${stream.name}: JetStream would store the request and answer it with a PubAck`,
              request.location,
              {
                hint: `Give commands and queries their own prefix (cmd.<context>.… / query.<context>.…).`,
              },
            ),
          );
        }
      }
    }
  }
  for (let i = 0; i < registry.streams.length; i++) {
    for (let j = i + 1; j < registry.streams.length; j++) {
      const a = registry.streams[i];
      const b = registry.streams[j];
      if (!a || !b) continue;
      for (const s of a.subjects) {
        const clash = b.subjects.find((t) => subjectsOverlap(s, t));
        if (clash) {
          const owner = registry.events.find(
            (e) => e.stream === b.name && e.channels.some((c) => c.subjectFilter === clash),
          );
          const channel = owner?.channels.find((c) => c.subjectFilter === clash);
          out.push(
            diagnostic(
              'stream-overlap',
              `streams ${a.name} and ${b.name} overlap (${s} / ${clash}); JetStream rejects overlapping streams`,
              channel?.location ?? owner?.location ?? b.location,
            ),
          );
        }
      }
    }
  }
  return out;
};

/**
 * `replicas` a deployment can hold: JetStream needs as many servers as replicas, and a RAFT group of an
 * even size tolerates no more failures than one a server smaller (R2 stops with one server down, like R1).
 * The environments are the document's NATS servers; `x-eventkit-cluster-size` says how many servers one
 * stands for (default 1). Provisioning a stream with more replicas than servers fails.
 */
export const streamReplicas: DesignRule = (registry) => {
  const out: Diagnostic[] = [];
  for (const stream of registry.streams) {
    const { replicas } = stream.settings;
    if (replicas % 2 === 0)
      out.push(
        diagnostic(
          'stream-replicas',
          `stream ${stream.name} has replicas: ${replicas}, an even number: it survives no more failed servers than replicas: ${replicas - 1}`,
          stream.location,
          { severity: 'warning', hint: 'Use 1 (one server), 3 (survives one failure) or 5 (survives two).' },
        ),
      );
    const environments = registry.services
      .filter((s) => s.context === stream.context)
      .flatMap((s) => s.servers.filter((server) => server.protocol.startsWith('nats')));
    if (environments.length === 0) continue;
    const largest = Math.max(...environments.map((e) => e.clusterSize ?? 1));
    if (replicas > largest)
      out.push(
        diagnostic(
          'stream-replicas',
          `stream ${stream.name} has replicas: ${replicas}, but its document's servers (${environments
            .map((e) => `${e.id}: ${e.clusterSize ?? 1}`)
            .join(
              ', ',
            )}) have at most ${largest}; JetStream refuses a stream with more replicas than servers`,
          stream.location,
          {
            severity: 'warning',
            hint: `Declare the cluster's size on its server entry (x-eventkit-cluster-size: ${replicas}), or lower replicas.`,
          },
        ),
      );
  }
  return out;
};
