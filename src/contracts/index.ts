// Public surface of the contracts module: Pact message contracts (consumer helpers, provider verification),
// the pact↔spec cross-check, the verification results matrix and can-i-deploy.

export {
  type BrokerOptions,
  brokerFromEnv,
  brokerPactUrl,
  brokerVerifierOptions,
  publishPact,
} from './broker.ts';
export { canIDeploy, type DeployAnswer, formatDeployAnswer, type IntegrationRow } from './can-i-deploy.ts';
export {
  type ContractEvent,
  createMessagePact,
  type Delivery,
  deliverPactMessage,
  type ExpectedEvent,
  eventMetadata,
  type MessagePact,
  type MessagePactOptions,
  type PactMessage,
} from './consumer.ts';
export { badInputRules, type CrossCheckResult, crossCheck, crossCheckRules } from './cross-check.ts';
export { ContractsError, type ContractsErrorCode, formatContractsError, isContractsError } from './errors.ts';
export { jsonViewMatching } from './matchers.ts';
export {
  interactionEventType,
  interactionSubject,
  type LoadedPact,
  listPactFiles,
  normalisedPactText,
  normalisePactFile,
  type PactFile,
  type PactMessageInteraction,
  type PactProviderState,
  pactFileName,
  parsePactText,
  readPactDir,
  readPactFile,
} from './pact-file.ts';
export {
  type InteractionResult,
  type PactVerification,
  type ProducerContext,
  type ProviderContract,
  type VerifyPactOptions,
  verifyPact,
} from './provider.ts';
export {
  emptyMatrix,
  type PactPublication,
  type ResultsMatrix,
  readResults,
  recordVerifications,
  type VerificationRecord,
  writeResults,
} from './results.ts';
export { fillSubject, subjectMatchesPattern, subjectParams, subjectRegexSource } from './subject.ts';
export { formatVerification, type InteractionFailure } from './verification-report.ts';
