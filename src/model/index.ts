// Public surface of the model: load AsyncAPI + proto into one typed, immutable registry; lint it.

export { createAsyncApiParser } from './asyncapi/parser.ts';
export {
  createProtobufSchemaParser,
  isProtobufSchemaFormat,
  protobufSchemaFormats,
} from './asyncapi/schema-parser.ts';
export { defaultConsumerSettings, defaultStreamSettings } from './build/settings.ts';
export {
  type ConfigResult,
  configFileNames,
  defaultConfig,
  findConfigFile,
  importExtensionOf,
  loadConfig,
  providerGlobIgnore,
  providerGlobsOf,
  validateConfig,
} from './config.ts';
export { dedupeDiagnostics, hasErrors, relativePath, sortDiagnostics } from './diagnostics.ts';
export { parseDuration } from './durations.ts';
export { isRegistryError, RegistryError } from './errors.ts';
export { type LoadOptions, loadProject, loadRegistry, registryOrThrow } from './load.ts';
export {
  addressParameters,
  channelDurableName,
  durableName,
  jsonName,
  kebabCase,
  protocolOf,
  protocolWords,
  slug,
  streamName,
  subjectFilter,
  subjectsOverlap,
  usesJetStream,
} from './names.ts';
export { protoDescriptor } from './proto/descriptor.ts';
export { jsonViewSchema, protoFieldModels, scalarSchema, wellKnownSchema } from './proto/json-view.ts';
export { loadProtoLibrary, type ProtoLibrary } from './proto/library.ts';
export * from './query.ts';
export { remoteRefsAllowed, setRemoteRefsAllowed } from './remote-default.ts';
export {
  applyRuleSettings,
  bufLint,
  createSchemaValidator,
  type DesignRule,
  designRules,
  type LintOptions,
  lint,
  type RuleContext,
  runDesignRules,
} from './rules/index.ts';
export type * from './types.ts';
export { eventFamilies, eventFamily, isRetirable, newerMajorOf } from './versions.ts';
