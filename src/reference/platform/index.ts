export { type FaultHooks, faultHooksFromEnv, noFaults } from './fault-hooks.ts';
export { handleOnce, type InboxOutcome, type InboxStats, inboxStats } from './inbox.ts';
export { addToOutbox } from './outbox.ts';
export {
  type OutboxRelay,
  type OutboxRelayOptions,
  type SendOutbound,
  startOutboxRelay,
} from './outbox-relay.ts';
export { commitWithOutbox, handleEventOnce, type ServiceKit } from './unit-of-work.ts';
