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

/** Builds the static site. The builder loads on first use, so commands that never build stay light. */
export async function buildCatalog(options: BuildCatalogOptions): Promise<BuildSummary> {
  const { buildCatalog: build } = await import('./build.tsx');
  return build(options);
}

export { type StaticServer, serveStatic, type Watcher, watchSources } from './serve.ts';
export { assertReplaceable as assertOutputReplaceable } from './site-writer.ts';
