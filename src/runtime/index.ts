// Public surface of the messaging runtime.
export type {
  Codec,
  ConsumedEvent,
  ConsumerOptions,
  EventDescriptor,
  EventHandler,
  HandlerContext,
  OutboundMessage,
  PublishOptions,
  PublishReceipt,
} from './api.ts';
export * from './codecs/index.ts';
export { currentEventScope, type EventScope, runInEventScope } from './context.ts';
export {
  DEADLETTER_PREFIX,
  DEADLETTER_STREAM,
  type DeadLetterInfo,
  type DeadLetterReason,
  DLQ_HEADERS,
  deadLetterMessage,
  deadLetterStreamSpec,
  deadLetterSubjectFilter,
  readDeadLetter,
} from './dead-letter.ts';
export {
  buildSubject,
  CE,
  childTraceparent,
  createEnvelope,
  type EnvelopeOptions,
  type InboundMessage,
  MSG_ID_HEADER,
  parseSubjectParams,
  readEnvelope,
  subjectParameters,
} from './envelope.ts';
export * from './errors.ts';
export { newEventId } from './ids.ts';
export {
  compose,
  consoleLogger,
  type HandlerSpan,
  type Logger,
  logging,
  type Middleware,
  type RouteHandler,
  type RouteInfo,
  type RouteMessage,
  retry,
  silentLogger,
  timeout,
  tracing,
  validation,
} from './middleware.ts';
export {
  type ClusterServer,
  type NatsCluster,
  type NatsClusterOptions,
  startNatsCluster,
} from './nats-cluster.ts';
export { freePort, type NatsServer, type NatsServerOptions, startNatsServer } from './nats-server.ts';
export {
  type AppliedChange,
  applyProvisioning,
  type ChangeKind,
  type ClusterReport,
  type ConsumerProvision,
  clusterReport,
  type PlannedChange,
  type ProvisioningPlan,
  type ProvisioningSpec,
  planProvisioning,
  provisioningSpec,
} from './provisioning.ts';
export {
  createPublisher,
  DEFAULT_RETRY_POLICY,
  type Publisher,
  type PublisherOptions,
  publishRetryBudgetMs,
  type RetryPolicy,
} from './publisher.ts';
export { redactSecrets, redactUrl } from './redact.ts';
export {
  createRequester,
  createResponder,
  ERROR_HEADERS,
  type IncomingRequest,
  type Requester,
  type RequestHandler,
  type RequestOptions,
  type Responder,
  type RespondOptions,
} from './request-reply.ts';
export {
  createRouter,
  defaultConsumerOptions,
  durableName,
  type RouteOptions,
  type Router,
  type RouterOptions,
  type RouterState,
  type RouterStats,
} from './router.ts';
export { subjectMatches } from './subjects.ts';
export {
  type ConsumerState,
  type ConsumeSpec,
  type CoreMessage,
  type DeliverPolicy,
  type Delivery,
  type DeliveryListener,
  effectiveAckWaitMs,
  type RequestListener,
  type StreamSpec,
  type Subscription,
  streamSpec,
  type Transport,
  type TransportFeatures,
} from './transport.ts';
export {
  NATS_SECURITY_ENV,
  type NatsSecurityOptions,
  securityConnectionOptions,
  securityFromEnv,
  securityToEnv,
} from './transports/connection-security.ts';
export {
  connectNats,
  type JetStreamTransportOptions,
  jetstreamFeatures,
  jetstreamTransport,
  natsServerList,
  toTransportError,
} from './transports/jetstream.ts';
export type { FieldDrift } from './transports/jetstream-config.ts';
export { createMemoryBroker, MemoryBroker, memoryFeatures, memoryTransport } from './transports/memory.ts';
