// The graphs the catalog draws, built from the site model: the whole system (services and events),
// the context-level system for large registries, and neighbourhoods for service and context pages.
import type { EventModel } from '../../model/types.ts';
import type { SiteModel } from '../site-model.ts';
import { urls } from '../urls.ts';
import type { Graph, GraphEdge, GraphNode } from './types.ts';

const MAX_PER_COLUMN = 16;
/** More events than this between the same senders and receivers are drawn as one grouped node. */
export const GROUP_OVER = 12;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function eventNode(e: EventModel, site: SiteModel, id = `e:${e.type}`): GraphNode {
  return {
    id,
    label: `${e.name} v${e.major}`,
    sublabel: e.context,
    kind: e.kind === 'event' ? 'event' : 'command',
    href: urls.event(e.type),
    highlight: site.saga.includes(e.type),
    title: e.type,
  };
}

function serviceNode(id: string, site: SiteModel, nodeId = `s:${id}`, focus = false): GraphNode {
  const s = site.serviceById.get(id);
  // A service alone in a context of its own name says nothing more under its id.
  const sublabel = !s ? 'unknown service' : s.context !== id ? s.context : undefined;
  return {
    id: nodeId,
    label: id,
    ...(sublabel === undefined ? {} : { sublabel }),
    kind: s ? 'service' : 'external',
    ...(s ? { href: urls.service(id) } : {}),
    focus,
    title: s ? `${s.title} (${s.context})` : `${id} — not in the registry`,
  };
}

/** The anchor under a graph where a grouped node's events are listed. */
export function groupAnchor(nodeId: string): string {
  return `group-${nodeId.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

/**
 * Events split by a key (who sends them and who receives them): keys with more than `GROUP_OVER` events
 * become one group each, the rest stay single events; both in the events' order.
 */
function groupBy(
  events: readonly EventModel[],
  keyOf: (e: EventModel) => string,
): { singles: EventModel[]; groups: { key: string; events: EventModel[] }[] } {
  const byKey = new Map<string, EventModel[]>();
  for (const e of events) {
    const key = keyOf(e);
    byKey.set(key, [...(byKey.get(key) ?? []), e]);
  }
  const grouped = new Set([...byKey].filter(([, list]) => list.length > GROUP_OVER).map(([key]) => key));
  return {
    singles: events.filter((e) => !grouped.has(keyOf(e))),
    groups: [...grouped].map((key) => ({ key, events: byKey.get(key) ?? [] })),
  };
}

function groupNode(
  id: string,
  events: readonly EventModel[],
  page: string,
  what: string,
  site: SiteModel,
): GraphNode {
  return {
    id,
    label: plural(events.length, 'event'),
    sublabel: what,
    kind: 'group',
    href: `${page}#${groupAnchor(id)}`,
    highlight: events.some((e) => site.saga.includes(e.type)),
    title: `${plural(events.length, 'event')} ${what}: ${events.map((e) => e.name).join(', ')}`,
    members: events.map((e) => ({ label: `${e.name} v${e.major}`, href: urls.event(e.type), title: e.type })),
  };
}

/** Next saga steps' producers: a consumer is on the saga path if it produces the following step. */
function sagaHops(site: SiteModel): Set<string> {
  const hops = new Set<string>();
  for (let i = 0; i + 1 < site.saga.length; i++) {
    const next = site.eventByType.get(site.saga[i + 1] as string);
    for (const p of site.producers.get(site.saga[i + 1] as string) ??
      (next?.producer ? [next.producer] : [])) {
      hops.add(`${site.saga[i]}\u0000${p}`);
    }
  }
  return hops;
}

/**
 * Every service and event as nodes, drawn as senders → events → receivers: each service appears on the left
 * (what it sends) and on the right (what it receives), so the graph has no cycles and reads left to right.
 */
export function systemGraph(site: SiteModel): Graph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const saga = new Set(site.saga);
  const hops = sagaHops(site);
  const known = new Set(site.registry.services.map((s) => s.id));
  const senders = site.registry.services.filter((s) => (site.sends.get(s.id) ?? []).length > 0);
  const receivers = site.registry.services.filter((s) => (site.receives.get(s.id) ?? []).length > 0);
  for (const s of senders)
    nodes.push({
      ...serviceNode(s.id, site, `out:${s.id}`),
      sublabel: `sends ${site.sends.get(s.id)?.length ?? 0}`,
    });
  const senderIds = (e: EventModel) => (site.producers.get(e.type) ?? []).filter((p) => known.has(p));
  const receiverIds = (e: EventModel) =>
    (site.subscriptions.get(e.type) ?? []).map((sub) => sub.consumer).filter((c) => known.has(c));
  // Many events between the same senders and receivers (a device hub sending 46 kinds of reading) read
  // better as one node that lists them than as a column thousands of pixels tall.
  const { singles, groups } = groupBy(site.registry.events, (e) =>
    [senderIds(e).join(','), [...new Set(receiverIds(e))].sort().join(',')].join('>'),
  );
  const eventNodes: { id: string; events: EventModel[] }[] = [];
  for (const e of site.registry.events) {
    if (singles.includes(e)) {
      nodes.push(eventNode(e, site));
      eventNodes.push({ id: `e:${e.type}`, events: [e] });
      continue;
    }
    const group = groups.find((g) => g.events[0] === e);
    if (!group) continue;
    const id = `g:${group.key}`;
    const from = senderIds(e);
    const to = [...new Set(receiverIds(e))];
    const toWords =
      to.length === 0 ? '' : ` to ${to.length > 2 ? plural(to.length, 'service') : to.join(', ')}`;
    nodes.push(
      groupNode(
        id,
        group.events,
        urls.flow(),
        `from ${from.length > 0 ? from.join(', ') : 'outside'}${toWords}`,
        site,
      ),
    );
    eventNodes.push({ id, events: group.events });
  }
  for (const { id, events } of eventNodes) {
    const first = events[0] as EventModel;
    const onSaga = events.some((e) => saga.has(e.type));
    for (const p of senderIds(first))
      edges.push({ id: `p:${p}>${id.slice(2)}`, source: `out:${p}`, target: id, highlight: onSaga });
    for (const consumer of new Set(receiverIds(first)))
      edges.push({
        id: `c:${id.slice(2)}>${consumer}`,
        source: id,
        target: `in:${consumer}`,
        highlight: events.some((e) => hops.has(`${e.type}\u0000${consumer}`)),
      });
  }
  for (const s of receivers)
    nodes.push({
      ...serviceNode(s.id, site, `in:${s.id}`),
      sublabel: `receives ${site.receives.get(s.id)?.length ?? 0}`,
    });
  return { nodes, edges };
}

/**
 * Contexts as senders (left) and receivers (right), one edge per pair labelled with the number of events.
 * The columns come in the contexts' order; `orderColumns` then arranges them to cross less.
 */
export function contextGraph(site: SiteModel): ColumnGraph {
  const saga = new Set(site.saga);
  const flows = new Map<string, { events: Set<string>; saga: boolean }>();
  for (const e of site.registry.events) {
    for (const p of site.producers.get(e.type) ?? []) {
      const from = site.serviceById.get(p)?.context;
      if (!from) continue;
      for (const sub of site.subscriptions.get(e.type) ?? []) {
        const to = site.serviceById.get(sub.consumer)?.context;
        if (!to || to === from) continue;
        const key = `${from}\u0000${to}`;
        const flow = flows.get(key) ?? { events: new Set<string>(), saga: false };
        flow.events.add(e.type);
        flow.saga ||= saga.has(e.type);
        flows.set(key, flow);
      }
    }
  }
  const sending = new Set<string>();
  const receiving = new Set<string>();
  for (const key of flows.keys()) {
    const [from, to] = key.split('\u0000') as [string, string];
    sending.add(from);
    receiving.add(to);
  }
  const sentOut = new Map<string, Set<string>>();
  const receivedIn = new Map<string, Set<string>>();
  for (const [key, flow] of flows) {
    const [from, to] = key.split('\u0000') as [string, string];
    for (const [map, name] of [
      [sentOut, from],
      [receivedIn, to],
    ] as const) {
      const set = map.get(name) ?? new Set<string>();
      for (const t of flow.events) set.add(t);
      map.set(name, set);
    }
  }
  const node = (c: (typeof site.contexts)[number], side: 'out' | 'in'): GraphNode => ({
    id: `${side}:${c.name}`,
    label: c.name,
    sublabel:
      side === 'out'
        ? `sends ${plural(sentOut.get(c.name)?.size ?? 0, 'event')} out`
        : `receives ${plural(receivedIn.get(c.name)?.size ?? 0, 'event')}`,
    title: `${c.name}: ${plural(c.services.length, 'service')}, ${plural(c.events.length, 'event')}`,
    kind: 'context',
    href: urls.context(c.name),
    highlight: c.events.some((e) => saga.has(e.type)),
  });
  const senders = site.contexts.filter((c) => sending.has(c.name)).map((c) => node(c, 'out'));
  const receivers = site.contexts.filter((c) => receiving.has(c.name)).map((c) => node(c, 'in'));
  const nodes: GraphNode[] = [...senders, ...receivers];
  const edges: GraphEdge[] = [...flows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, flow]) => {
      const [from, to] = key.split('\u0000') as [string, string];
      return {
        id: `f:${from}>${to}`,
        source: `out:${from}`,
        target: `in:${to}`,
        title: `${from} → ${to}: ${plural(flow.events.size, 'event')}`,
        highlight: flow.saga,
      };
    });
  return { graph: { nodes, edges }, columns: [senders.map((n) => n.id), receivers.map((n) => n.id)] };
}

function capped<T>(items: readonly T[], max: number): { shown: T[]; hidden: number } {
  return items.length <= max
    ? { shown: [...items], hidden: 0 }
    : { shown: items.slice(0, max - 1), hidden: items.length - (max - 1) };
}

function moreNode(id: string, hidden: number, what: string): GraphNode {
  return { id, label: `+${hidden} more ${what}`, kind: 'more' };
}

export interface ColumnGraph {
  readonly graph: Graph;
  readonly columns: readonly (readonly string[])[];
}

/** upstream producers → received events → the service → sent events → downstream consumers. */
export function serviceNeighbourhood(site: SiteModel, serviceId: string): ColumnGraph {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const columns: string[][] = [[], [], [], [], []];
  const self = `self:${serviceId}`;
  nodes.set(self, serviceNode(serviceId, site, self, true));
  (columns[2] as string[]).push(self);

  const page = urls.service(serviceId);
  const producersOf = (e: EventModel) => (site.producers.get(e.type) ?? []).filter((p) => p !== serviceId);
  const consumersOf = (e: EventModel) => [
    ...new Set(
      (site.subscriptions.get(e.type) ?? []).map((sub) => sub.consumer).filter((c) => c !== serviceId),
    ),
  ];
  /** The events of one side as drawn: single events, and groups of many with the same services beyond. */
  const items = (
    events: readonly EventModel[],
    beyond: (e: EventModel) => string[],
    side: 'in' | 'out',
    what: string,
  ) => {
    const { singles, groups } = groupBy(events, (e) => [...beyond(e)].sort().join(','));
    return events.flatMap((e): { id: string; node: GraphNode; first: EventModel }[] => {
      if (singles.includes(e))
        return [{ id: `${side}:${e.type}`, node: eventNode(e, site, `${side}:${e.type}`), first: e }];
      const group = groups.find((g) => g.events[0] === e);
      if (!group) return [];
      const id = `${side}:group:${group.key}`;
      const others = beyond(e);
      const label =
        `${what} ${others.length > 0 ? `${side === 'in' ? 'from' : 'to'} ${others.join(', ')}` : ''}`.trim();
      return [{ id, node: groupNode(id, group.events, page, label, site), first: e }];
    });
  };

  const received = capped(
    items(site.receives.get(serviceId) ?? [], producersOf, 'in', 'received'),
    MAX_PER_COLUMN,
  );
  for (const { id, node, first } of received.shown) {
    nodes.set(id, node);
    (columns[1] as string[]).push(id);
    edges.push({ id: `${id}>self`, source: id, target: self });
    for (const p of producersOf(first)) {
      const pid = `up:${p}`;
      if (!nodes.has(pid)) {
        if ((columns[0] as string[]).length >= MAX_PER_COLUMN) continue;
        nodes.set(pid, serviceNode(p, site, pid));
        (columns[0] as string[]).push(pid);
      }
      edges.push({ id: `${pid}>${id}`, source: pid, target: id });
    }
  }
  if (received.hidden > 0) {
    nodes.set('in:more', moreNode('in:more', received.hidden, 'received'));
    (columns[1] as string[]).push('in:more');
  }

  const sent = capped(items(site.sends.get(serviceId) ?? [], consumersOf, 'out', 'sent'), MAX_PER_COLUMN);
  let downstreamHidden = 0;
  for (const { id, node, first } of sent.shown) {
    nodes.set(id, node);
    (columns[3] as string[]).push(id);
    edges.push({ id: `self>${id}`, source: self, target: id });
    for (const consumer of consumersOf(first)) {
      const cid = `down:${consumer}`;
      if (!nodes.has(cid)) {
        if ((columns[4] as string[]).length >= MAX_PER_COLUMN - 1) {
          downstreamHidden++;
          continue;
        }
        nodes.set(cid, serviceNode(consumer, site, cid));
        (columns[4] as string[]).push(cid);
      }
      edges.push({ id: `${id}>${cid}`, source: id, target: cid });
    }
  }
  if (sent.hidden > 0) {
    nodes.set('out:more', moreNode('out:more', sent.hidden, 'sent'));
    (columns[3] as string[]).push('out:more');
  }
  if (downstreamHidden > 0) {
    nodes.set('down:more', moreNode('down:more', downstreamHidden, 'links'));
    (columns[4] as string[]).push('down:more');
  }
  return { graph: { nodes: [...nodes.values()], edges }, columns };
}

/** upstream contexts → this context's services → downstream contexts, edges labelled with event counts. */
export function contextNeighbourhood(site: SiteModel, contextName: string): ColumnGraph {
  const context = site.contextByName.get(contextName);
  const nodes = new Map<string, GraphNode>();
  const columns: string[][] = [[], [], []];
  const counts = new Map<string, Set<string>>();
  const add = (key: string, type: string): void => {
    const set = counts.get(key) ?? new Set<string>();
    set.add(type);
    counts.set(key, set);
  };
  const members = capped(context?.services ?? [], MAX_PER_COLUMN * 2);
  for (const s of members.shown) {
    const id = `s:${s.id}`;
    nodes.set(id, serviceNode(s.id, site, id));
    (columns[1] as string[]).push(id);
    for (const e of site.receives.get(s.id) ?? []) {
      for (const p of site.producers.get(e.type) ?? []) {
        const from = site.serviceById.get(p)?.context;
        if (from && from !== contextName) add(`up:${from}\u0000${id}`, e.type);
      }
    }
    for (const e of site.sends.get(s.id) ?? []) {
      for (const sub of site.subscriptions.get(e.type) ?? []) {
        const to = site.serviceById.get(sub.consumer)?.context;
        if (to && to !== contextName) add(`${id}\u0000down:${to}`, e.type);
      }
    }
  }
  if (members.hidden > 0) {
    nodes.set('s:more', moreNode('s:more', members.hidden, 'services'));
    (columns[1] as string[]).push('s:more');
  }
  const edges: GraphEdge[] = [];
  const saga = new Set(site.saga);
  const perContext = new Map<string, Set<string>>();
  for (const [key, types] of [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [source, target] = key.split('\u0000') as [string, string];
    for (const end of [source, target]) {
      if (nodes.has(end)) continue;
      const [side, name] = end.split(':') as [string, string];
      const col = side === 'up' ? 0 : 2;
      if ((columns[col] as string[]).length >= MAX_PER_COLUMN) continue;
      const c = site.contextByName.get(name);
      nodes.set(end, {
        id: end,
        label: name,
        sublabel: c ? `${plural(c.services.length, 'service')}` : 'context',
        kind: 'context',
        href: urls.context(name),
      });
      (columns[col] as string[]).push(end);
    }
    if (!nodes.has(source) || !nodes.has(target)) continue;
    // Counts go on the context nodes and in each edge's tooltip: labels on a fan of edges pile up.
    const outer = source.startsWith('up:') ? source : target;
    const types2 = perContext.get(outer) ?? new Set<string>();
    for (const t of types) types2.add(t);
    perContext.set(outer, types2);
    edges.push({
      id: key.replace('\u0000', '>'),
      source,
      target,
      title: plural(types.size, 'event'),
      highlight: [...types].some((t) => saga.has(t)),
    });
  }
  for (const [id, types] of perContext) {
    const node = nodes.get(id);
    if (node)
      nodes.set(id, {
        ...node,
        sublabel: `${id.startsWith('up:') ? 'sends' : 'receives'} ${plural(types.size, 'event')}`,
      });
  }
  return { graph: { nodes: [...nodes.values()], edges }, columns };
}
