// Errors of the payments service's gateway integration.

/** The gateway failed (timeout, 5xx): the call may succeed later. Not a decline. */
export class GatewayUnavailableError extends Error {
  override readonly name = 'GatewayUnavailableError';
}

export function isGatewayUnavailableError(error: unknown): error is GatewayUnavailableError {
  return error instanceof Error && error.name === 'GatewayUnavailableError';
}

/** The circuit breaker is open: the gateway is not called until it half-opens. */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
}

export function isCircuitOpenError(error: unknown): error is CircuitOpenError {
  return error instanceof Error && error.name === 'CircuitOpenError';
}
