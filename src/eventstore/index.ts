// eventkit/eventstore: an append-only event store with optimistic concurrency, snapshots and projections,
// on JetStream or on PostgreSQL/PGlite behind one interface.
export {
  ConcurrencyError,
  EventStoreError,
  type EventStoreErrorOptions,
  isConcurrencyError,
  isEventStoreError,
} from './errors.ts';
export { createJetStreamEventStore, type JetStreamEventStoreOptions } from './jetstream-store.ts';
export {
  aggregateToken,
  eventStreamName,
  eventSubject,
  snapshotStreamName,
} from './names.ts';
export { createProjection, type Projection, type ProjectionOptions } from './projection.ts';
export { protobufEvents } from './protobuf-events.ts';
export {
  type AggregateDefinition,
  createRepository,
  type DomainEvent,
  type EventCodec,
  type Loaded,
  type Repository,
  type SnapshotCodec,
  type Upcaster,
  type Updated,
  type UpdateOptions,
} from './repository.ts';
export {
  createSqlEventStore,
  eventStoreSchemaSql,
  migrateEventStore,
  type SqlEventStore,
  type SqlEventStoreOptions,
} from './sql-store.ts';
export type {
  AppendOptions,
  AppendResult,
  EventStore,
  LoadOptions,
  LoadResult,
  NewEvent,
  ReadOptions,
  RecordedEvent,
  Snapshot,
} from './types.ts';
