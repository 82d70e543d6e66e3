// Plans the deploy order from what `eventkit breaking` found (src/compat) plus both registries and the pacts:
// who ships first for each change, new majors published beside the old one before anyone moves, the old one
// retired only when `version-retirable` holds, and each step's can-i-deploy answer.
import { bodyTouches, interactionIsFor, type PactInteraction } from '../compat/pacts.ts';
import type { Change, CompatReport } from '../compat/types.ts';
import type { EventModel, Registry } from '../model/types.ts';
import { eventFamily } from '../model/versions.ts';
import type { RolloutPlan, RolloutStep, StepAnswer, StepKind } from './types.ts';

export interface PlanInput {
  readonly base: Registry;
  readonly head: Registry;
  /** `eventkit breaking`'s report of base → head. */
  readonly report: CompatReport;
  readonly pacts: readonly PactInteraction[];
  /** can-i-deploy for the version a service would ship; undefined = not asked. */
  readonly deployAnswer?: (service: string) => StepAnswer | undefined;
}

interface Node {
  readonly id: string;
  readonly kind: StepKind;
  readonly service: string;
  what: string;
  readonly reasons: string[];
  readonly blocked: string[];
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly why: string;
}

/** Stable JSON for comparing documents (key order does not matter). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

const find = (registry: Registry, type: string | undefined) =>
  type === undefined ? undefined : registry.events.find((e) => e.type === type);

const sendsIn = (registry: Registry, type: string) =>
  registry.operations.some((o) => o.action === 'send' && !o.requestReply && o.eventTypes.includes(type));

export function planRollout(input: PlanInput): RolloutPlan {
  const { base, head, report, pacts } = input;
  const nodes = new Map<string, Node>();
  const edges: Edge[] = [];
  const notes: string[] = [];
  const unique = <T>(list: T[], item: T) => {
    if (!list.includes(item)) list.push(item);
  };

  const node = (kind: StepKind, service: string, subject = service): Node => {
    const id = `${kind} ${subject}`;
    let n = nodes.get(id);
    if (!n) {
      n = {
        id,
        kind,
        service,
        what: kind === 'deploy' ? `deploy ${service} as in the new documents` : '',
        reasons: [],
        blocked: [],
      };
      nodes.set(id, n);
    }
    return n;
  };
  const deploy = (service: string, reason?: string) => {
    const n = node('deploy', service);
    if (reason) unique(n.reasons, reason);
    return n;
  };
  const edge = (from: Node, to: Node, why: string) => {
    if (from.id !== to.id && !edges.some((e) => e.from === from.id && e.to === to.id))
      edges.push({ from: from.id, to: to.id, why });
  };

  // Services whose document changed, or that are new.
  const baseServices = new Map(base.services.map((s) => [s.id, s]));
  const changed = new Set<string>();
  for (const service of head.services) {
    const old = baseServices.get(service.id);
    if (!old) deploy(service.id, 'new service');
    else if (canonical(old.document.raw) !== canonical(service.document.raw))
      deploy(service.id, `${service.document.file} changed`);
    else continue;
    changed.add(service.id);
  }
  for (const old of base.services)
    if (!head.services.some((s) => s.id === old.id))
      notes.push(`${old.id} is gone from the new documents: stop it after every step below`);

  // New majors beside the old ones: published before anyone moves to them.
  for (const event of head.events) {
    if (event.kind !== 'event' || find(base, event.type) || !event.producer) continue;
    const older = base.events.filter(
      (e) => e.kind === 'event' && eventFamily(e) === eventFamily(event) && e.major < event.major,
    );
    if (older.length === 0) continue;
    const producer = deploy(
      event.producer,
      `publishes ${event.type}, a new major beside ${older.map((o) => o.type).join(', ')}`,
    );
    changed.add(event.producer);
    for (const consumer of event.consumers) {
      const moved = older.some((o) => o.consumers.includes(consumer));
      const c = deploy(consumer, moved ? `moves to ${event.type}` : `starts reading ${event.type}`);
      changed.add(consumer);
      edge(producer, c, `${event.type} is published before ${consumer} reads it`);
    }
    for (const old of older) {
      if (!sendsIn(head, old.type)) continue; // retired below
      const readers = find(head, old.type)?.consumers ?? [];
      notes.push(
        readers.length > 0
          ? `${old.type} stays published beside ${event.type}: still read by ${readers.join(', ')} (version-retirable does not hold yet)`
          : `${old.type} can be retired next: nobody reads it in the new documents (version-retirable)`,
      );
    }
  }

  // Retiring: an old major its producer stops sending while a newer major of the family is published.
  const retiring = new Set<string>();
  for (const old of base.events) {
    if (old.kind !== 'event' || !old.producer || !sendsIn(base, old.type) || sendsIn(head, old.type))
      continue;
    const newer = head.events.filter(
      (e) =>
        e.kind === 'event' &&
        eventFamily(e) === eventFamily(old) &&
        e.major > old.major &&
        sendsIn(head, e.type),
    );
    const replacement = newer[newer.length - 1];
    if (!replacement) continue;
    retiring.add(old.type);
    const readers = [
      ...new Set(
        head.operations
          .filter((o) => o.action === 'receive' && o.eventTypes.includes(old.type))
          .map((o) => o.service),
      ),
    ];
    const retire = node('retire', old.producer, old.type);
    retire.what = `${old.producer} stops publishing ${old.type} (the new documents)`;
    unique(retire.reasons, `${replacement.type} replaces ${old.type}`);
    const producer = nodes.get(`deploy ${old.producer}`);
    if (producer && find(base, replacement.type) === undefined) {
      producer.what = `deploy ${old.producer} publishing ${replacement.type} beside ${old.type} (keep sending ${old.type} until "${retire.id}")`;
      edge(producer, retire, `${replacement.type} is live before ${old.type} stops`);
    }
    if (readers.length > 0)
      retire.blocked.push(
        `version-retirable does not hold: ${readers.join(', ')} still read ${old.type} in the new documents`,
      );
    for (const consumer of old.consumers)
      if (changed.has(consumer) && consumer !== old.producer)
        edge(deploy(consumer), retire, `${consumer} stops reading ${old.type} first`);
  }
  for (const change of report.changes) applyChange(change);

  // A producer whose only change is the retirement ships it in the retire step.
  for (const n of [...nodes.values()]) {
    if (n.kind !== 'retire') continue;
    const producer = nodes.get(`deploy ${n.service}`);
    if (!producer?.reasons.every((r) => r.endsWith(' changed'))) continue;
    // (a deploy step that only exists because its document changed)
    nodes.delete(producer.id);
    for (let i = edges.length - 1; i >= 0; i--) {
      const e = edges[i] as Edge;
      if (e.from === producer.id || e.to === producer.id) edges.splice(i, 1);
    }
  }

  function applyChange(change: Change): void {
    const headEvent = find(head, change.event);
    const event: EventModel | undefined = headEvent ?? find(base, change.event);
    if (event && retiring.has(event.type)) return;
    const producerId = event?.producer;
    if (change.class === 'breaking' && change.severity === 'error' && change.deployOrder === 'new-major') {
      const owner =
        producerId ??
        (change.stream ? head.streams.find((s) => s.name === change.stream)?.context : undefined);
      const n = deploy(owner ?? 'unknown', change.message);
      n.blocked.push(
        `${change.ruleId}: ${change.message} — no deploy order keeps every stored message readable; ${change.fix ?? 'publish a new major version beside this one'}`,
      );
      return;
    }
    if (!event || !producerId) {
      if (change.class === 'breaking' && change.severity !== 'info')
        notes.push(`${change.ruleId}: ${change.message}`);
      return;
    }
    // Nothing to order: a new consumer, a new event, a deprecation… (their services deploy for their document).
    if (change.deployOrder === 'any' && change.class === 'non-breaking') return;
    const producer = deploy(producerId, `${change.ruleId}: ${change.message}`);
    changed.add(producerId);
    const consumers = headEvent?.consumers ?? [];
    if (change.deployOrder === 'consumers-first' && change.class === 'non-breaking') {
      for (const consumerId of consumers) {
        const relies = (change.fieldPaths ?? []).find((path) =>
          pacts.some(
            (i) => i.consumer === consumerId && interactionIsFor(i, event) && bodyTouches(i.body, path),
          ),
        );
        if (relies !== undefined) {
          const c = deploy(
            consumerId,
            `starts relying on \`${relies}\` of ${event.type} (its pact reads it)`,
          );
          changed.add(consumerId);
          edge(producer, c, `${consumerId} relies on \`${relies}\`: ${producerId} sends it first`);
        } else if (changed.has(consumerId)) {
          edge(
            deploy(consumerId),
            producer,
            `${consumerId} tolerates the change to ${event.type} before ${producerId} makes it`,
          );
        } else {
          unique(
            notes,
            `${consumerId} is not redeployed for ${change.ruleId} on ${event.type}: its deployed version must tolerate it (protobuf decoders skip unknown fields; a new enum value needs a handler)`,
          );
        }
      }
    } else if (change.deployOrder === 'consumers-first') {
      // A removal: nobody may still read it when the producer stops.
      const readers = consumers.filter((c) => c !== producerId);
      if (readers.length > 0)
        producer.blocked.push(
          `${change.ruleId}: ${readers.join(', ')} still read ${event.type} in the new documents`,
        );
      for (const a of change.affectedConsumers)
        if (changed.has(a.name) && a.name !== producerId)
          edge(deploy(a.name), producer, `${a.name} stops depending on ${event.type} first`);
    } else if (change.deployOrder === 'producers-first') {
      for (const consumerId of consumers)
        if (changed.has(consumerId))
          edge(producer, deploy(consumerId), `${change.ruleId}: ${producerId} first, then its readers`);
    }
  }

  // Durables a receive operation left behind.
  const headDurables = new Set(head.operations.map((o) => o.durable).filter(Boolean));
  const retiredDurables = base.operations
    .filter((o) => o.durable && !headDurables.has(o.durable))
    .map((o) => o.durable as string);
  if (retiredDurables.length > 0)
    notes.push(
      `after the last step: \`eventkit provision --prune\` deletes ${retiredDurables.sort().join(', ')} (no receive operation declares them any more)`,
    );

  // can-i-deploy for every step.
  const answers = new Map<string, StepAnswer | undefined>();
  for (const n of nodes.values()) {
    if (!answers.has(n.service)) answers.set(n.service, input.deployAnswer?.(n.service));
    const answer = answers.get(n.service);
    if (answer && !answer.deployable) n.blocked.push(`can-i-deploy ${n.service}: no — ${answer.reason}`);
  }

  const steps = orderSteps(nodes, edges, answers);
  return {
    base: report.base,
    head: report.head,
    steps,
    notes: [...new Set(notes)],
    safe: steps.every((s) => s.blocked.length === 0),
  };
}

/** Kahn's algorithm in waves; anything behind a blocked step, or on a cycle, is blocked too. */
function orderSteps(
  nodes: ReadonlyMap<string, Node>,
  edges: readonly Edge[],
  answers: ReadonlyMap<string, StepAnswer | undefined>,
): RolloutStep[] {
  const incoming = new Map<string, Edge[]>([...nodes.keys()].map((id) => [id, []]));
  for (const e of edges) incoming.get(e.to)?.push(e);
  const blocked = new Map<string, string[]>([...nodes.values()].map((n) => [n.id, [...n.blocked]]));
  const wave = new Map<string, number>();
  const done = new Set<string>();
  let current = 0;
  for (;;) {
    const ready = [...nodes.keys()].filter(
      (id) => !done.has(id) && (incoming.get(id) ?? []).every((e) => done.has(e.from)),
    );
    if (ready.length === 0) break;
    current++;
    for (const id of ready) {
      done.add(id);
      const waitsOnBlocked = (incoming.get(id) ?? []).filter((e) => (blocked.get(e.from)?.length ?? 0) > 0);
      for (const e of waitsOnBlocked) blocked.get(id)?.push(`waits for "${e.from}", which is blocked`);
      if ((blocked.get(id)?.length ?? 0) === 0) wave.set(id, current);
    }
  }
  for (const id of nodes.keys()) {
    if (done.has(id)) continue;
    const cycle = (incoming.get(id) ?? [])
      .filter((e) => !done.has(e.from))
      .map((e) => `"${e.from}" (${e.why})`);
    blocked.get(id)?.push(`no safe order: it waits for ${cycle.join(' and ')}, which waits for it in turn`);
  }
  const steps = [...nodes.values()].map((n): RolloutStep => {
    const answer = answers.get(n.service);
    const w = wave.get(n.id);
    return {
      id: n.id,
      kind: n.kind,
      service: n.service,
      what:
        n.kind === 'deploy' && n.what === `deploy ${n.service} as in the new documents`
          ? `deploy ${n.service}${n.reasons.some((r) => !r.endsWith(' changed')) ? `: ${n.reasons.filter((r) => !r.endsWith(' changed')).join('; ')}` : ' as in the new documents'}`
          : n.what,
      reasons: [...n.reasons, ...(incoming.get(n.id) ?? []).map((e) => `after "${e.from}": ${e.why}`)],
      after: (incoming.get(n.id) ?? []).map((e) => e.from).sort(),
      ...(w !== undefined ? { wave: w } : {}),
      ...(answer ? { canIDeploy: answer } : {}),
      blocked: blocked.get(n.id) ?? [],
    };
  });
  const rank = (s: RolloutStep) => s.wave ?? Number.MAX_SAFE_INTEGER;
  return steps.sort(
    (a, b) =>
      rank(a) - rank(b) || (a.kind === b.kind ? a.id.localeCompare(b.id) : a.kind === 'deploy' ? -1 : 1),
  );
}
