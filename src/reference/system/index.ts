// Public surface of the reference system runner (used by tools/demo.ts and the test suites).
export { type BrokerFacts, brokerFacts, waitForConsumersIdle } from './broker-facts.ts';
export { type DriveResult, driveOrders } from './driver.ts';
export { isStreamsNotEmptyError, StreamsNotEmptyError } from './errors.ts';
export { collectFigures, type SagaFigures } from './figures.ts';
export { checkInvariants, type InvariantReport, type SystemDbs } from './invariants.ts';
export { dropServiceSchemas, type OpenedDbs, openSystemDbs } from './open-dbs.ts';
export {
  createProcessCluster,
  type ProcessCluster,
  type ProcessClusterOptions,
  type ServiceProcess,
} from './process-cluster.ts';
export { type ProvisionResult, provisionFromRegistry, registryDurables } from './provision.ts';
export { type ProcessMemory, runSaga, type SagaRunOptions, type SagaRunResult } from './run-saga.ts';
export { type SecuredDemoServer, startSecuredDemoServer } from './secured-nats.ts';
export {
  isServiceName,
  SERVICE_NAMES,
  type ServiceName,
  type SystemOptions,
  startService,
  startServices,
  stopServices,
} from './services.ts';
export {
  defaultWorkload,
  type PlannedOrder,
  planWorkload,
  type Workload,
  type WorkloadOptions,
} from './workload.ts';
