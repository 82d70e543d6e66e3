// Public surface of breaking-change detection (`eventkit breaking`).
export { diffAsyncApi } from './asyncapi-diff.ts';
export {
  type CheckBreakingOptions,
  type CompareOptions,
  type CompareResult,
  checkBreaking,
  compareProjects,
  type LoadedProject,
  type ProjectLoader,
} from './check.ts';
export { CompatError, type CompatErrorCode, isCompatError } from './errors.ts';
export { type FormatOptions, formatReport } from './format.ts';
export { acceptsAll, diffSchemas, type SchemaDifference } from './json-schema-compat.ts';
export { deployOrderFor, readCompatibilityMode, violatesMode } from './modes.ts';
export { bodyTouches, interactionIsFor, loadPacts, type PactInteraction, parsePact } from './pacts.ts';
export { type BufFinding, bufBreaking } from './proto-buf.ts';
export { materialise, type ProjectSource, type ResolvedSource, resolveSource } from './source.ts';
export { reportToDiagnostics } from './to-diagnostics.ts';
export type {
  AffectedConsumer,
  Change,
  ChangeClass,
  ChangeSource,
  CompatibilityMode,
  CompatReport,
  DeployOrder,
} from './types.ts';
