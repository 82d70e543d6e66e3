// Composition root of the payments service: the simulated gateway behind a circuit breaker + handlers.
import { join } from 'node:path';
import {
  openServiceInfra,
  type RunningService,
  type ServiceOptions,
  stopServiceInfra,
} from '../platform/service-infra.ts';
import { type BreakerOptions, type GuardedGateway, guardGateway } from './gateway-breaker.ts';
import { registerPaymentsHandlers } from './generated/index.ts';
import { createPaymentsHandlers } from './handlers.ts';
import {
  createSimulatedGateway,
  gatewayOptionsFromEnv,
  type SimulatedGateway,
  type SimulatedGatewayOptions,
} from './payment-gateway.ts';

export interface PaymentsOptions extends ServiceOptions {
  readonly gateway?: Partial<SimulatedGatewayOptions>;
  readonly breaker?: Partial<BreakerOptions>;
}

export interface RunningPayments extends RunningService {
  /** TEST/DEMO HOOK: the simulated gateway (inject failures) and the breaker around it. */
  readonly gateway: SimulatedGateway;
  readonly breaker: GuardedGateway;
}

export async function startPayments(options: PaymentsOptions = {}): Promise<RunningPayments> {
  const infra = await openServiceInfra('payments', join(import.meta.dirname, 'migrations'), options);
  const gateway = createSimulatedGateway({ ...gatewayOptionsFromEnv(), ...options.gateway });
  const breaker = guardGateway(gateway, options.breaker);
  registerPaymentsHandlers(infra.router, createPaymentsHandlers({ kit: infra.kit, gateway: breaker }));
  await infra.router.start();
  return {
    name: 'payments',
    infra,
    gateway,
    breaker,
    async stop() {
      await stopServiceInfra(infra);
      breaker.shutdown();
    },
  };
}
