// Public surface of the catalog: build the static site, serve it, and the input types other modules feed it.
import type { BuildCatalogOptions, BuildSummary } from './build.tsx';

export type { BuildCatalogOptions, BuildProgress, BuildSummary } from './build.tsx';
export { type CatalogContent, type CatalogSettings, readCatalogContent } from './content.ts';
export { CatalogError, isCatalogError } from './errors.ts';
export { diffVersions } from './field-diff.ts';
export type {
  CanIDeploy,
  CatalogInputs,
  ContractState,
  ContractStatus,
  FieldChange,
  InputWarning,
  VersionDiff,
} from './inputs.ts';
export { emptyInputs } from './inputs.ts';
export { fieldPaths, readPact } from './pact.ts';
export { type InputPaths, readCatalogInputs } from './read-inputs.ts';

/**
 * Builds the static site. The page renderer (and React with it) loads on first use, after choosing React's
 * production build unless the process picked a mode already (vitest sets `test`): the development build
 * validates every element and makes a 10,000-page build several times slower.
 */
export async function buildCatalog(options: BuildCatalogOptions): Promise<BuildSummary> {
  process.env.NODE_ENV ??= 'production';
  const { buildCatalog: build } = await import('./build.tsx');
  return build(options);
}

export { type StaticServer, serveStatic, type Watcher, watchSources } from './serve.ts';
export { assertReplaceable as assertOutputReplaceable } from './site-writer.ts';
