// Typed aggregates over an event store: decode (with upcasters for old event versions), fold into state,
// decide, append at the loaded version, and on a conflict reload and decide again.
import { EventStoreError, isConcurrencyError } from './errors.ts';
import type { AppendResult, EventStore, NewEvent, RecordedEvent } from './types.ts';

/** A domain event: its type name (a proto full name) and its value. */
export interface DomainEvent<T extends string = string, V = unknown> {
  readonly type: T;
  readonly value: V;
}

/** Turns domain events into bytes and back (e.g. `protobufEvents` over the service's own protos). */
export interface EventCodec<E extends DomainEvent> {
  encode(event: E): Pick<NewEvent, 'type' | 'data'>;
  /** Decodes one stored event of a type this codec knows (after upcasting). */
  decode(type: string, data: Uint8Array): E;
  /** Whether `type` is known (an unknown type without an upcaster is an error on load). */
  knows(type: string): boolean;
}

/**
 * Rewrites an event of an old type into the current one on load (the stored bytes never change).
 * Upcasters chain: `orders.es.v1.X` → `orders.es.v2.X` → `orders.es.v3.X`.
 */
export interface Upcaster {
  readonly from: string;
  readonly to: string;
  upcast(data: Uint8Array): Uint8Array;
}

export interface SnapshotCodec<S> {
  encode(state: S): Uint8Array;
  decode(bytes: Uint8Array): S;
  /** Take a snapshot when an append crosses a multiple of this many versions (e.g. 100). */
  readonly every: number;
}

export interface AggregateDefinition<S, E extends DomainEvent> {
  /** The aggregate type, e.g. `Order` (the JetStream stream / SQL key). */
  readonly type: string;
  initial(): S;
  apply(state: S, event: E): S;
  readonly codec: EventCodec<E>;
  readonly upcasters?: readonly Upcaster[];
  readonly snapshots?: SnapshotCodec<S>;
}

export interface Loaded<S> {
  readonly state: S;
  readonly version: number;
}

export interface UpdateOptions {
  /** Attempts on ConcurrencyError (reload and decide again each time). Default 5. */
  readonly attempts?: number;
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface Updated<S, E> extends Loaded<S> {
  /** The events the decision produced (empty: nothing changed, nothing appended). */
  readonly events: readonly E[];
  /** Conflicts lost before this decision won. */
  readonly conflicts: number;
}

export interface Repository<S, E extends DomainEvent> {
  load(id: string): Promise<Loaded<S>>;
  /** Appends events decided on the state at `expectedVersion`. */
  append(
    id: string,
    events: readonly E[],
    expectedVersion: number,
    metadata?: Readonly<Record<string, string>>,
  ): Promise<AppendResult>;
  /** Load → decide → append; on a conflict, reload and decide again. */
  update(
    id: string,
    decide: (state: S, version: number) => readonly E[],
    options?: UpdateOptions,
  ): Promise<Updated<S, E>>;
  /** Decodes a stored event (upcasting old types); for projections. */
  decode(event: RecordedEvent): E;
}

function upcast(
  event: { type: string; data: Uint8Array },
  upcasters: ReadonlyMap<string, Upcaster>,
): {
  type: string;
  data: Uint8Array;
} {
  let current = event;
  const seen = new Set<string>();
  for (let u = upcasters.get(current.type); u; u = upcasters.get(current.type)) {
    if (seen.has(u.from)) throw new EventStoreError(`upcasters loop at ${u.from}`);
    seen.add(u.from);
    current = { type: u.to, data: u.upcast(current.data) };
  }
  return current;
}

export function createRepository<S, E extends DomainEvent>(
  store: EventStore,
  definition: AggregateDefinition<S, E>,
): Repository<S, E> {
  const upcasters = new Map((definition.upcasters ?? []).map((u) => [u.from, u]));
  const decode = (event: { type: string; data: Uint8Array; aggregateId?: string; version?: number }): E => {
    const current = upcast(event, upcasters);
    if (!definition.codec.knows(current.type))
      throw new EventStoreError(
        `${definition.type} ${event.aggregateId ?? ''} version ${event.version ?? '?'}: event type ${current.type} is unknown; add it to the codec or an upcaster from it`,
      );
    return definition.codec.decode(current.type, current.data);
  };

  async function load(id: string): Promise<Loaded<S>> {
    const loaded = await store.load(definition.type, id, { useSnapshot: definition.snapshots !== undefined });
    let state =
      loaded.snapshot && definition.snapshots
        ? definition.snapshots.decode(loaded.snapshot.state)
        : definition.initial();
    for (const event of loaded.events) state = definition.apply(state, decode(event));
    return { state, version: loaded.version };
  }

  async function append(
    id: string,
    events: readonly E[],
    expectedVersion: number,
    metadata?: Readonly<Record<string, string>>,
  ): Promise<AppendResult> {
    const encoded = events.map((e) => ({ ...definition.codec.encode(e), ...(metadata ? { metadata } : {}) }));
    return store.append(definition.type, id, encoded, { expectedVersion });
  }

  async function update(
    id: string,
    decide: (state: S, version: number) => readonly E[],
    options: UpdateOptions = {},
  ): Promise<Updated<S, E>> {
    const attempts = options.attempts ?? 5;
    for (let conflicts = 0; ; conflicts++) {
      const { state, version } = await load(id);
      const events = decide(state, version);
      if (events.length === 0) return { state, version, events, conflicts };
      try {
        const result = await append(id, events, version, options.metadata);
        const next = events.reduce(definition.apply, state);
        const snapshots = definition.snapshots;
        if (snapshots && Math.floor(result.version / snapshots.every) > Math.floor(version / snapshots.every))
          await store.saveSnapshot(definition.type, id, {
            version: result.version,
            state: snapshots.encode(next),
          });
        return { state: next, version: result.version, events, conflicts };
      } catch (error) {
        if (!isConcurrencyError(error) || conflicts + 1 >= attempts) throw error;
      }
    }
  }

  return { load, append, update, decode };
}
