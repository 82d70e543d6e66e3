/** Exit codes of every eventkit command (documented in the README). */
export const exitCodes = {
  /** Success; for checks: clean / compatible / verified / deployable. */
  ok: 0,
  /** The check found problems: lint errors, breaking changes, failed verification, stale generated code, cannot deploy. */
  findings: 1,
  /** Bad input: unreadable or invalid files, unknown participant, bad arguments. */
  badInput: 2,
  /** Wrong command-line usage. */
  usage: 64,
  /** Infrastructure unreachable (NATS, database). */
  unavailable: 69,
  /** A bug in eventkit. */
  internal: 70,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];
