// Errors `eventkit init` and `eventkit add event` report to the user (the CLI maps `kind` to an exit code).

export type ScaffoldErrorKind =
  /** A file the command would write exists already (exit 2). */
  | 'exists'
  /** The project or the arguments do not allow the change (exit 2): unknown context, duplicate event. */
  | 'bad-input';

export class ScaffoldError extends Error {
  override readonly name = 'ScaffoldError';
  readonly kind: ScaffoldErrorKind;
  /** The file the problem is about, relative to the project root, when there is one. */
  readonly file: string | undefined;
  constructor(message: string, options: { kind: ScaffoldErrorKind; file?: string; cause?: unknown }) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.kind = options.kind;
    this.file = options.file;
  }
}

export function isScaffoldError(error: unknown): error is ScaffoldError {
  return error instanceof Error && error.name === 'ScaffoldError';
}
