export { type FaultHooks, faultHooksFromEnv, noFaults } from './fault-hooks.ts';
export { type ServiceKit, serviceKit } from './service-kit.ts';
