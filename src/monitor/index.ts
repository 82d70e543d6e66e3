// Public surface of `eventkit monitor`: live traffic checked against the registry.
export { type CheckResult, createMessageChecker, type MessageChecker } from './check.ts';
export { codecOfEvent } from './codec.ts';
export {
  type ListenSource,
  type Monitor,
  type MonitorOptions,
  type MonitorStats,
  startMonitor,
  type TypeTally,
} from './monitor.ts';
export { type MonitorSummary, summarize } from './summary.ts';
export { type ObservedMessage, VIOLATION_KINDS, type Violation, type ViolationKind } from './violations.ts';
