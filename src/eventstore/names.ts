// Names of the event store: the one place that turns an aggregate type and id into stream names, subjects
// and table keys, and checks them first (ids become NATS subject tokens).
import { EventStoreError } from './errors.ts';

const AGGREGATE_TYPE = /^[A-Za-z][A-Za-z0-9]*$/;
// A NATS subject token: no dots, wildcards or whitespace; bounded so a subject stays short.
const AGGREGATE_ID = /^[A-Za-z0-9_:@+=-]{1,128}$/;

export function checkAggregateType(aggregateType: string): void {
  if (!AGGREGATE_TYPE.test(aggregateType))
    throw new EventStoreError(
      `aggregate type '${aggregateType}' is not a name: use letters and digits, starting with a letter (e.g. Order)`,
    );
}

export function checkAggregateId(aggregateType: string, aggregateId: string): void {
  if (!AGGREGATE_ID.test(aggregateId))
    throw new EventStoreError(
      `${aggregateType} id '${aggregateId}' cannot be stored: use 1-128 characters of letters, digits and _:@+=- (no dots, spaces or wildcards)`,
    );
}

/** `OrderItem` → `order-item`: the subject token of an aggregate type. */
export function aggregateToken(aggregateType: string): string {
  return aggregateType.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** The JetStream stream holding one aggregate type's events: `ES_ORDER_ITEM`. */
export function eventStreamName(aggregateType: string): string {
  return `ES_${aggregateToken(aggregateType).replace(/-/g, '_').toUpperCase()}`;
}

/** The stream holding the latest snapshot per aggregate: `ES_ORDER_ITEM_SNAPSHOTS`. */
export function snapshotStreamName(aggregateType: string): string {
  return `${eventStreamName(aggregateType)}_SNAPSHOTS`;
}

/** `es.order-item.<id>`: the subject of one aggregate's commits. */
export function eventSubject(aggregateType: string, aggregateId: string): string {
  return `es.${aggregateToken(aggregateType)}.${aggregateId}`;
}

export function eventSubjects(aggregateType: string): string {
  return `es.${aggregateToken(aggregateType)}.>`;
}

export function snapshotSubject(aggregateType: string, aggregateId: string): string {
  return `es-snapshot.${aggregateToken(aggregateType)}.${aggregateId}`;
}

export function snapshotSubjects(aggregateType: string): string {
  return `es-snapshot.${aggregateToken(aggregateType)}.>`;
}
