// Errors of the catalog builder: each names what went wrong and what to do, never a bare stack.

export type CatalogErrorCode =
  | 'output-unsafe'
  | 'write-failed'
  | 'layout-failed'
  | 'render-failed'
  | 'serve-failed';

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
  readonly code: CatalogErrorCode;

  constructor(code: CatalogErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isCatalogError(error: unknown): error is CatalogError {
  return error instanceof Error && error.name === 'CatalogError' && 'code' in error;
}
