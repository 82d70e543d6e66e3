// Public surface of the payments service.
export { type PaymentsOptions, type RunningPayments, startPayments } from './compose.ts';
export {
  CircuitOpenError,
  GatewayUnavailableError,
  isCircuitOpenError,
  isGatewayUnavailableError,
} from './errors.ts';
export { type BreakerOptions, type GuardedGateway, guardGateway } from './gateway-breaker.ts';
export { createPaymentsHandlers, type PaymentsDeps } from './handlers.ts';
export {
  createSimulatedGateway,
  type PaymentGateway,
  type SimulatedGateway,
  type SimulatedGatewayOptions,
} from './payment-gateway.ts';
