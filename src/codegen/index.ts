// Public surface of eventkit codegen.
export {
  type CodegenOptions,
  type CodegenResult,
  runCodegen,
  type ServiceProgress,
  type ServiceResult,
} from './codegen.ts';
export { CodegenError, type CodegenErrorKind, isCodegenError } from './errors.ts';
export { buildCodegenInput, payloadOnlyEvents } from './input/build-input.ts';
export type { CodegenInput } from './input/types.ts';
