// eventkit's public surface: one entry per module (also reachable as `eventkit/<module>`).

export * as catalog from './catalog/index.ts';
export * as codegen from './codegen/index.ts';
export * as compat from './compat/index.ts';
export * as contracts from './contracts/index.ts';
export * as model from './model/index.ts';
export * as runtime from './runtime/index.ts';
