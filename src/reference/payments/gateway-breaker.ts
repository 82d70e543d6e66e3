import CircuitBreaker from 'opossum';
import { CircuitOpenError } from './errors.ts';
import type { ChargeRequest, GatewayChargeResult, PaymentGateway } from './payment-gateway.ts';

// A circuit breaker (opossum) around the payment gateway. A decline is an answer, not a failure; only
// gateway errors and timeouts count. While the circuit is open calls fail fast with CircuitOpenError,
// which the handlers turn into a TransientError: the message is nak'ed with a delay and retried later,
// never dead-lettered for the gateway's sake.

export { CircuitOpenError, isCircuitOpenError } from './errors.ts';

export interface BreakerOptions {
  /**
   * A call slower than this counts as a failure. Generous (10 s): in a starved process the event loop
   * alone can delay a fast answer by seconds, and timeouts that are really our own stalls must not open
   * the circuit and push every order into the contract's long backoff.
   */
  readonly timeoutMs: number;
  /** Failure percentage in the rolling window that opens the circuit. */
  readonly errorThresholdPercentage: number;
  /** Calls in the window before the percentage counts. */
  readonly volumeThreshold: number;
  /** How long the circuit stays open before one trial call (half-open). */
  readonly resetTimeoutMs: number;
}

export interface GuardedGateway extends PaymentGateway {
  readonly state: () => 'closed' | 'open' | 'half-open';
  readonly stats: { opened: number; rejectedWhileOpen: number };
  shutdown(): void;
}

export function guardGateway(gateway: PaymentGateway, options: Partial<BreakerOptions> = {}): GuardedGateway {
  const opts: BreakerOptions = {
    timeoutMs: 10_000,
    errorThresholdPercentage: 50,
    volumeThreshold: 10,
    resetTimeoutMs: 1000,
    ...options,
  };
  const breakerOptions = {
    timeout: opts.timeoutMs,
    errorThresholdPercentage: opts.errorThresholdPercentage,
    volumeThreshold: opts.volumeThreshold,
    resetTimeout: opts.resetTimeoutMs,
  };
  const stats = { opened: 0, rejectedWhileOpen: 0 };
  const charge = new CircuitBreaker((request: ChargeRequest) => gateway.charge(request), {
    ...breakerOptions,
    name: 'gateway-charge',
  });
  // Refunds share the charge circuit's health: one remote system, one view of whether it is up.
  const refund = new CircuitBreaker(
    (paymentId: string, amountMinor: number) => gateway.refund(paymentId, amountMinor),
    {
      ...breakerOptions,
      name: 'gateway-refund',
    },
  );
  charge.on('open', () => stats.opened++);

  async function fire<T>(run: () => Promise<T>): Promise<T> {
    if (charge.opened) {
      stats.rejectedWhileOpen++;
      throw new CircuitOpenError('payment gateway circuit is open; retry later');
    }
    try {
      return await run();
    } catch (error) {
      if ((error as { code?: string }).code === 'EOPENBREAKER') {
        stats.rejectedWhileOpen++;
        throw new CircuitOpenError('payment gateway circuit is open; retry later', { cause: error });
      }
      throw error;
    }
  }

  return {
    stats,
    state: () => (charge.opened ? 'open' : charge.halfOpen ? 'half-open' : 'closed'),
    charge: (request) => fire(() => charge.fire(request) as Promise<GatewayChargeResult>),
    refund: (paymentId, amountMinor) =>
      fire(() => refund.fire(paymentId, amountMinor) as Promise<{ readonly reference: string }>),
    shutdown() {
      charge.shutdown();
      refund.shutdown();
    },
  };
}
