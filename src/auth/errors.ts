// Errors of `eventkit auth`: each names the file or tool involved and what to do.

export type AuthErrorCode =
  /** The registry cannot be turned into users (a reserved or unusable service id). */
  | 'spec'
  /** A deployed config or a key file cannot be read or parsed. */
  | 'bad-input'
  /** Writing keys, certificates or the config failed. */
  | 'write-failed'
  /** openssl is missing or failed. */
  | 'tls-failed';

export class AuthError extends Error {
  override readonly name: string = 'AuthError';
  readonly code: AuthErrorCode;
  constructor(code: AuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The registry cannot be turned into NATS users. */
export class AuthSpecError extends AuthError {
  override readonly name: string = 'AuthSpecError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('spec', message, options);
  }
}

export function isAuthError(error: unknown): error is AuthError {
  return error instanceof AuthError;
}
