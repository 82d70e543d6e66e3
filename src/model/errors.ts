// Errors of the model module. Loading never throws for user input (problems are diagnostics);
// RegistryError is for callers that need a registry without errors and choose to throw.
import type { Diagnostic } from './types.ts';

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    message: string,
    readonly diagnostics: readonly Diagnostic[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isRegistryError(error: unknown): error is RegistryError {
  return (
    error instanceof Error &&
    error.name === 'RegistryError' &&
    Array.isArray((error as RegistryError).diagnostics)
  );
}
