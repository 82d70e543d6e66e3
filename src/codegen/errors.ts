// Errors of eventkit codegen. Problems in the user's specs are diagnostics (data); these are for the rest.

/**
 * What went wrong, for the exit code: the user asked for something that does not exist (`usage`), the
 * input cannot be generated from (`input`), or eventkit itself failed (`internal`: a template bug).
 */
export type CodegenErrorKind = 'usage' | 'input' | 'internal';

/** Codegen could not run: unknown service, unreadable document, the template failed, ... */
export class CodegenError extends Error {
  override readonly name = 'CodegenError';
  readonly kind: CodegenErrorKind;
  /** The file the problem is about, when there is one. */
  readonly file?: string;

  constructor(message: string, options: { cause?: unknown; file?: string; kind?: CodegenErrorKind } = {}) {
    super(message, { cause: options.cause });
    this.kind = options.kind ?? 'input';
    if (options.file !== undefined) this.file = options.file;
  }
}

export function isCodegenError(error: unknown): error is CodegenError {
  return error instanceof Error && error.name === 'CodegenError';
}
