import { GatewayUnavailableError } from './errors.ts';

// A simulated card payment gateway, the "remote system" payments calls. Its behaviour can be steered
// for demos and fault tests (TEST/DEMO HOOK): a failure rate, an outage switch, and latency.

export type GatewayDeclineReason =
  | 'insufficient_funds'
  | 'payment_method_expired'
  | 'payment_method_invalid'
  | 'amount_limit_exceeded';

export type GatewayChargeResult =
  | { readonly approved: true; readonly reference: string }
  | { readonly approved: false; readonly reason: GatewayDeclineReason };

export interface ChargeRequest {
  readonly paymentId: string;
  readonly paymentMethodId: string;
  readonly amountMinor: number;
  readonly currency: string;
}

export interface PaymentGateway {
  charge(request: ChargeRequest): Promise<GatewayChargeResult>;
  refund(paymentId: string, amountMinor: number): Promise<{ readonly reference: string }>;
}

export { GatewayUnavailableError, isGatewayUnavailableError } from './errors.ts';

export interface SimulatedGatewayOptions {
  /** Share of calls (0..1) that fail with GatewayUnavailableError. */
  readonly failureRate: number;
  /** Every call fails while true. */
  readonly outage: boolean;
  /** Added delay per call. */
  readonly latencyMs: number;
  /** Charges above this are declined (`amount_limit_exceeded`). */
  readonly amountLimitMinor: number;
}

export interface SimulatedGateway extends PaymentGateway {
  /** TEST/DEMO HOOK: change behaviour at run time. */
  configure(options: Partial<SimulatedGatewayOptions>): void;
  readonly calls: { charges: number; refunds: number; failures: number };
}

/**
 * Declines are decided by the payment method id, so demos can ask for them: `pm_declined…` →
 * insufficient funds, `pm_expired…` → expired. Everything else is approved up to the amount limit.
 */
export function createSimulatedGateway(options: Partial<SimulatedGatewayOptions> = {}): SimulatedGateway {
  let opts: SimulatedGatewayOptions = {
    failureRate: 0,
    outage: false,
    latencyMs: 0,
    amountLimitMinor: 10_000_000,
    ...options,
  };
  const calls = { charges: 0, refunds: 0, failures: 0 };
  let counter = 0;

  async function call<T>(fn: () => T): Promise<T> {
    if (opts.latencyMs > 0) await new Promise((r) => setTimeout(r, opts.latencyMs));
    if (opts.outage || (opts.failureRate > 0 && Math.random() < opts.failureRate)) {
      calls.failures++;
      throw new GatewayUnavailableError(
        opts.outage ? 'payment gateway is down (503)' : 'payment gateway failed (502)',
      );
    }
    return fn();
  }

  return {
    calls,
    configure(next) {
      opts = { ...opts, ...next };
    },
    charge(request) {
      return call((): GatewayChargeResult => {
        calls.charges++;
        if (request.paymentMethodId.startsWith('pm_declined'))
          return { approved: false, reason: 'insufficient_funds' };
        if (request.paymentMethodId.startsWith('pm_expired'))
          return { approved: false, reason: 'payment_method_expired' };
        if (request.amountMinor > opts.amountLimitMinor)
          return { approved: false, reason: 'amount_limit_exceeded' };
        return { approved: true, reference: `gw_${++counter}` };
      });
    },
    refund(paymentId) {
      return call(() => {
        calls.refunds++;
        return { reference: `gw_refund_${paymentId}` };
      });
    },
  };
}

/** Gateway settings from the environment (TEST/DEMO HOOK): REFERENCE_GATEWAY_FAILURE_RATE, REFERENCE_GATEWAY_OUTAGE. */
export function gatewayOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): Partial<SimulatedGatewayOptions> {
  const options: { -readonly [K in keyof SimulatedGatewayOptions]?: SimulatedGatewayOptions[K] } = {};
  if (env.REFERENCE_GATEWAY_FAILURE_RATE) options.failureRate = Number(env.REFERENCE_GATEWAY_FAILURE_RATE);
  if (env.REFERENCE_GATEWAY_OUTAGE === '1') options.outage = true;
  if (env.REFERENCE_GATEWAY_LATENCY_MS) options.latencyMs = Number(env.REFERENCE_GATEWAY_LATENCY_MS);
  return options;
}
