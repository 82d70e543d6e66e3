// Indexes over the registry that every page needs, built once in O(services + events + operations).
import type { EventModel, OperationModel, Registry, ServiceModel, StreamModel } from '../model/types.ts';
import type { CatalogContent } from './content.ts';
import { diffVersions } from './field-diff.ts';
import type { CanIDeploy, CatalogInputs, ContractState, ContractStatus, VersionDiff } from './inputs.ts';

export interface ContextInfo {
  readonly name: string;
  readonly services: readonly ServiceModel[];
  /** Events whose type lives in this context. */
  readonly events: readonly EventModel[];
  readonly streams: readonly StreamModel[];
  readonly teams: readonly string[];
}

/** One consumer's relation to one event, with its contract state merged from pacts and results. */
export interface Subscription {
  readonly consumer: string;
  readonly event: EventModel;
  readonly operation?: OperationModel;
  readonly status: ContractState;
  readonly contracts: readonly ContractStatus[];
  readonly fieldsUsed: readonly string[];
}

export interface SiteModel {
  readonly registry: Registry;
  readonly content: CatalogContent;
  readonly inputs: CatalogInputs;
  readonly contexts: readonly ContextInfo[];
  readonly contextByName: ReadonlyMap<string, ContextInfo>;
  readonly serviceById: ReadonlyMap<string, ServiceModel>;
  readonly eventByType: ReadonlyMap<string, EventModel>;
  /** Events a service sends / receives, sorted by type. */
  readonly sends: ReadonlyMap<string, readonly EventModel[]>;
  readonly receives: ReadonlyMap<string, readonly EventModel[]>;
  /** Producers of an event (usually one). */
  readonly producers: ReadonlyMap<string, readonly string[]>;
  /** Subscriptions per event type, sorted by consumer. */
  readonly subscriptions: ReadonlyMap<string, readonly Subscription[]>;
  readonly sendOperation: ReadonlyMap<string, OperationModel>;
  /** All majors of the event's `context/name`, ascending. */
  readonly versions: ReadonlyMap<string, readonly EventModel[]>;
  /** Diff from the previous major to this one, keyed by the newer type. */
  readonly diffTo: ReadonlyMap<string, VersionDiff>;
  readonly teams: ReadonlyMap<string, readonly ServiceModel[]>;
  /** Saga steps in order (event types). */
  readonly saga: readonly string[];
  readonly canIDeploy: ReadonlyMap<string, CanIDeploy>;
  readonly health: Readonly<Record<ContractState, number>>;
}

const key2 = (a: string, b: string): string => `${a}\u0000${b}`;
export const versionKey = (e: EventModel): string => `${e.context}/${e.name}`;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Resolves a JSON pointer in a raw document (for tags the model does not carry). */
function atPointer(doc: unknown, pointer: string | undefined): unknown {
  if (!pointer) return undefined;
  let at: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** Tags of an event's message definition (`tags: [{ name }]` in the sender's document). */
export function eventTags(event: EventModel, services: ReadonlyMap<string, ServiceModel>): string[] {
  const owner = event.producer ? services.get(event.producer) : undefined;
  const message = atPointer(owner?.document.raw, event.location.pointer);
  const tags =
    typeof message === 'object' && message !== null ? (message as { tags?: unknown }).tags : undefined;
  return Array.isArray(tags)
    ? tags
        .map((t) => (typeof t === 'object' && t && 'name' in t ? String((t as { name: unknown }).name) : ''))
        .filter(Boolean)
    : [];
}

/**
 * Orders saga steps along the flow: step B follows step A when B's producer receives A. Takes the longest such
 * chain (steps are few, so a depth-first search is cheap), then appends any steps it could not place.
 */
function orderSaga(
  types: readonly string[],
  events: ReadonlyMap<string, EventModel>,
  subscriptions: ReadonlyMap<string, readonly Subscription[]>,
): string[] {
  if (types.length > 12) return [...types];
  const next = new Map<string, string[]>();
  for (const t of types) {
    const consumers = new Set((subscriptions.get(t) ?? []).map((s) => s.consumer));
    for (const u of types) {
      const producer = events.get(u)?.producer;
      if (u !== t && producer && consumers.has(producer)) push(next, t, u);
    }
  }
  let best: string[] = [];
  const walk = (path: string[]): void => {
    if (path.length > best.length) best = [...path];
    for (const u of next.get(path.at(-1) as string) ?? []) {
      if (path.includes(u)) continue;
      path.push(u);
      walk(path);
      path.pop();
    }
  };
  for (const t of types) walk([t]);
  return [...best, ...types.filter((t) => !best.includes(t))];
}

export function buildSiteModel(
  registry: Registry,
  content: CatalogContent,
  inputs: CatalogInputs,
): SiteModel {
  const serviceById = new Map(registry.services.map((s) => [s.id, s]));
  const eventByType = new Map(registry.events.map((e) => [e.type, e]));
  const sends = new Map<string, EventModel[]>();
  const receives = new Map<string, EventModel[]>();
  const producers = new Map<string, string[]>();
  const receiveOps = new Map<string, OperationModel>();
  const sendOperation = new Map<string, OperationModel>();
  const consumersOf = new Map<string, Set<string>>();

  for (const op of registry.operations) {
    for (const type of op.eventTypes) {
      const event = eventByType.get(type);
      if (!event) continue;
      if (op.action === 'send') {
        if (!sendOperation.has(type) || op.service === event.producer) sendOperation.set(type, op);
        const list = producers.get(type) ?? [];
        if (!list.includes(op.service)) push(producers, type, op.service);
      } else {
        receiveOps.set(key2(op.service, type), op);
        const set = consumersOf.get(type) ?? new Set<string>();
        set.add(op.service);
        consumersOf.set(type, set);
      }
    }
  }
  for (const e of registry.events) {
    if (e.producer && !(producers.get(e.type) ?? []).includes(e.producer))
      push(producers, e.type, e.producer);
    const set = consumersOf.get(e.type) ?? new Set<string>();
    for (const c of e.consumers) set.add(c);
    consumersOf.set(e.type, set);
  }
  for (const [type, list] of producers)
    for (const s of list) push(sends, s, eventByType.get(type) as EventModel);
  for (const list of sends.values()) list.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));

  const contractsByPair = new Map<string, ContractStatus[]>();
  for (const c of inputs.contracts) push(contractsByPair, key2(c.consumer, c.eventType), c);
  const health: Record<ContractState, number> = { verified: 0, failing: 0, unverified: 0, 'no-contract': 0 };
  const subscriptions = new Map<string, Subscription[]>();
  for (const e of registry.events) {
    const list: Subscription[] = [];
    for (const consumer of [...(consumersOf.get(e.type) ?? [])].sort()) {
      push(receives, consumer, e);
      const contracts = contractsByPair.get(key2(consumer, e.type)) ?? [];
      const status: ContractState =
        contracts.length === 0
          ? 'no-contract'
          : contracts.some((c) => c.status === 'failing')
            ? 'failing'
            : contracts.every((c) => c.status === 'verified')
              ? 'verified'
              : 'unverified';
      // Request/reply messages have no message pacts; health counts integration events only.
      if (e.kind === 'event') health[status]++;
      const fields = new Set<string>();
      for (const c of contracts) for (const f of c.fieldsUsed) fields.add(f);
      const operation = receiveOps.get(key2(consumer, e.type));
      list.push({
        consumer,
        event: e,
        status,
        contracts,
        fieldsUsed: [...fields].sort(),
        ...(operation ? { operation } : {}),
      });
    }
    subscriptions.set(e.type, list);
  }

  const versions = new Map<string, EventModel[]>();
  for (const e of registry.events) push(versions, versionKey(e), e);
  const provided = new Map(inputs.versionDiffs.map((d) => [d.to, d]));
  const diffTo = new Map<string, VersionDiff>();
  for (const list of versions.values()) {
    list.sort((a, b) => a.major - b.major);
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1] as EventModel;
      const cur = list[i] as EventModel;
      diffTo.set(
        cur.type,
        provided.get(cur.type) ?? diffVersions(prev.type, prev.payload.fields, cur.type, cur.payload.fields),
      );
    }
  }

  const contextNames = new Set<string>();
  for (const s of registry.services) contextNames.add(s.context);
  for (const e of registry.events) contextNames.add(e.context);
  const servicesByContext = new Map<string, ServiceModel[]>();
  const eventsByContext = new Map<string, EventModel[]>();
  const streamsByContext = new Map<string, StreamModel[]>();
  for (const s of registry.services) push(servicesByContext, s.context, s);
  for (const e of registry.events) push(eventsByContext, e.context, e);
  for (const s of registry.streams) push(streamsByContext, s.context, s);
  const contexts: ContextInfo[] = [...contextNames].sort().map((name) => {
    const services = servicesByContext.get(name) ?? [];
    return {
      name,
      services,
      events: eventsByContext.get(name) ?? [],
      streams: streamsByContext.get(name) ?? [],
      teams: [...new Set(services.map((s) => s.owner?.team).filter((t): t is string => Boolean(t)))].sort(),
    };
  });

  const teams = new Map<string, ServiceModel[]>();
  for (const s of registry.services) if (s.owner?.team) push(teams, s.owner.team, s);

  let saga: string[];
  if (content.settings.saga && content.settings.saga.length > 0) {
    saga = [];
    for (const step of content.settings.saga) {
      const exact = eventByType.get(step);
      const byName = registry.events.filter((e) => e.name === step).sort((a, b) => a.major - b.major)[0];
      const hit = exact ?? byName;
      if (hit && !saga.includes(hit.type)) saga.push(hit.type);
    }
  } else {
    const tagged = registry.events
      .filter((e) => eventTags(e, serviceById).includes('saga'))
      .map((e) => e.type);
    saga = orderSaga(tagged, eventByType, subscriptions);
  }

  return {
    registry,
    content,
    inputs,
    contexts,
    contextByName: new Map(contexts.map((c) => [c.name, c])),
    serviceById,
    eventByType,
    sends,
    receives,
    producers,
    subscriptions,
    sendOperation,
    versions,
    diffTo,
    teams,
    saga,
    canIDeploy: new Map(inputs.canIDeploy.map((c) => [c.service, c])),
    health,
  };
}
