// What the monitor reports: one violation = one message that breaks the spec in one way.

/** The kinds of violation, in the order the checks run. */
export const VIOLATION_KINDS = [
  'unknown-type',
  'missing-header',
  'malformed-header',
  'subject-mismatch',
  'undecodable',
  'invalid-payload',
  'partition-key-mismatch',
  'wrong-source',
  'retired-version',
] as const;

export type ViolationKind = (typeof VIOLATION_KINDS)[number];

/** One problem with one message. */
export interface Violation {
  readonly kind: ViolationKind;
  /** What is wrong and, where it helps, what the spec expects. */
  readonly reason: string;
  readonly subject: string;
  /** `ce-type` as sent (absent when the header is missing). */
  readonly type?: string;
  readonly id?: string;
  readonly source?: string;
  readonly stream?: string;
  readonly streamSequence?: number;
  /** When the monitor saw it (ISO). */
  readonly at: string;
}

/** A message as the monitor sees it, whichever way it arrived (stream or plain subscription). */
export interface ObservedMessage {
  readonly subject: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly data: Uint8Array;
  readonly stream?: string;
  readonly streamSequence?: number;
}
