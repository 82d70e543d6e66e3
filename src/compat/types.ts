// The vocabulary of `eventkit breaking`: one Change per thing that differs between base and head.
import type { SourceLocation } from '../model/types.ts';

/** Per-event JSON Schema compatibility policy (`x-eventkit-compatibility` on the message). */
export type CompatibilityMode =
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE'
  | 'NONE';

export const compatibilityModes: readonly CompatibilityMode[] = [
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
];

export const defaultCompatibilityMode: CompatibilityMode = 'BACKWARD';

/**
 * Who must deploy first so no message is ever unreadable:
 * - `any`: both sides read both versions.
 * - `consumers-first`: new readers accept old and new data; old readers may reject new data.
 * - `producers-first`: old readers accept new data; new readers may reject data still in the stream.
 * - `new-major`: neither order works (stored messages replay), publish a new major version side by side.
 */
export type DeployOrder = 'any' | 'consumers-first' | 'producers-first' | 'new-major';

export type ChangeClass = 'breaking' | 'non-breaking';

/** Where the change was found. */
export type ChangeSource = 'asyncapi' | 'protobuf' | 'jsonschema';

export interface AffectedConsumer {
  /** Consumer service id (AsyncAPI) or pacticipant name (Pact). */
  readonly name: string;
  /** `asyncapi-head`, `asyncapi-base` (a receive operation) or `pact` (an interaction that touches the change). */
  readonly via: 'asyncapi-head' | 'asyncapi-base' | 'pact';
  /** Receive operation id or pact interaction description. */
  readonly detail?: string;
}

export interface Change {
  /** Stable id of the kind of change, e.g. `channel-address-changed`, `buf/FIELD_SAME_TYPE`, `jsonschema/field-removed`. */
  readonly ruleId: string;
  readonly source: ChangeSource;
  readonly class: ChangeClass;
  /** `error` for a breaking change to a published major version; `warning` for breaking changes that are tolerated (unstable package, deprecated event); else `info`. */
  readonly severity: 'error' | 'warning' | 'info';
  /** Event type the change belongs to (`orders.v1.OrderPlaced`); absent for changes outside any event (a stream). */
  readonly event?: string;
  /** Stream name when the change is about a stream. */
  readonly stream?: string;
  readonly message: string;
  /** Where in head (or in base, for removals) the change is. */
  readonly location?: SourceLocation;
  /** Payload paths in the JSON view the change touches, e.g. `lines[].quantity`. Used to find pact interactions. */
  readonly fieldPaths?: readonly string[];
  readonly deployOrder: DeployOrder;
  /** What to do about it. */
  readonly fix?: string;
  /** Consumers a breaking change hurts, or that must deploy first for a `consumers-first` change; else empty. */
  readonly affectedConsumers: readonly AffectedConsumer[];
}

export interface CompatReport {
  /** Label of the base (`git:main@1a2b3c4` or a directory). */
  readonly base: string;
  /** Labels of the extra history versions used by transitive modes. */
  readonly history: readonly string[];
  readonly head: string;
  readonly changes: readonly Change[];
  readonly summary: {
    readonly breaking: number;
    readonly nonBreaking: number;
    readonly errors: number;
    readonly warnings: number;
    readonly events: number;
  };
  /** True when no change is an error. */
  readonly compatible: boolean;
}

/** A change before severity and affected consumers are worked out (that needs both registries and the pacts). */
export type ChangeDraft = Omit<Change, 'severity' | 'affectedConsumers'>;
