/** The database cannot be opened or reached (wrong URL, data directory held by another process, bad schema name). */
export class DbError extends Error {
  override readonly name = 'DbError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isDbError(error: unknown): error is DbError {
  return error instanceof Error && error.name === 'DbError';
}

/** A migration file is misnamed, clashes with another, or its SQL failed (the message names the file). */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    message: string,
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isMigrationError(error: unknown): error is MigrationError {
  return error instanceof Error && error.name === 'MigrationError';
}
