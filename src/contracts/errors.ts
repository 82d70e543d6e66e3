// Errors of the contracts module that a user can cause: unreadable or malformed pact files, an unreadable
// results matrix, a pact naming a participant or event the spec does not know.

import type { Diagnostic } from '../model/types.ts';

export type ContractsErrorCode =
  | 'pact-unreadable'
  | 'pact-malformed'
  | 'results-unreadable'
  | 'results-malformed'
  | 'unknown-pacticipant'
  | 'unknown-event'
  | 'no-provider'
  | 'verifier-failed'
  | 'broker-failed';

export class ContractsError extends Error {
  override readonly name = 'ContractsError';
  readonly code: ContractsErrorCode;
  /** File the problem is in (relative to the project root when known). */
  readonly file?: string;
  /** 1-based line in `file`, when known. */
  readonly line?: number;
  /** What the user should do about it. */
  readonly hint?: string;

  constructor(
    code: ContractsErrorCode,
    message: string,
    options: { cause?: unknown; file?: string; line?: number; hint?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.file !== undefined) this.file = options.file;
    if (options.line !== undefined) this.line = options.line;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

export function isContractsError(error: unknown): error is ContractsError {
  return error instanceof Error && error.name === 'ContractsError';
}

/** `file:line: message` — the one-line form the CLI prints. */
export function formatContractsError(error: ContractsError): string {
  const where =
    error.file === undefined ? '' : `${error.file}${error.line === undefined ? '' : `:${error.line}`}: `;
  return `${where}${error.message}${error.hint === undefined ? '' : `\n  hint: ${error.hint}`}`;
}

/** A contracts error as a diagnostic (rule `contracts/<code>`), for the reports that list diagnostics. */
export function errorToDiagnostic(error: ContractsError): Diagnostic {
  return {
    ruleId: `contracts/${error.code}`,
    severity: 'error',
    message: error.message,
    ...(error.file === undefined ? {} : { location: { file: error.file, line: error.line ?? 1, column: 1 } }),
    ...(error.hint === undefined ? {} : { hint: error.hint }),
  };
}
