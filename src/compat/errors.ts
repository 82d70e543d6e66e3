import type { Diagnostic } from '../model/types.ts';

// Errors of `eventkit breaking` that a user can cause (bad ref, missing folder, proto that does not compile).

export type CompatErrorCode = 'bad-ref' | 'bad-dir' | 'git-failed' | 'buf-failed' | 'load-failed';

export class CompatError extends Error {
  override readonly name = 'CompatError';
  readonly code: CompatErrorCode;
  /** What the user should do about it. */
  readonly hint?: string;
  /** Load problems of either side, when the error is about them. */
  readonly diagnostics: readonly Diagnostic[];

  constructor(
    code: CompatErrorCode,
    message: string,
    options: { cause?: unknown; hint?: string; diagnostics?: readonly Diagnostic[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.hint !== undefined) this.hint = options.hint;
    this.diagnostics = options.diagnostics ?? [];
  }
}

export function isCompatError(error: unknown): error is CompatError {
  return error instanceof Error && error.name === 'CompatError';
}
