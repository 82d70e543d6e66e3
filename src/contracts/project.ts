// Loads the eventkit project (config + registry) for the contracts commands; spec errors are bad input.
import path from 'node:path';
import { loadConfig, loadRegistry } from '../model/index.ts';
import type { Diagnostic, EventkitConfig, Registry } from '../model/types.ts';

export interface ContractsProject {
  readonly config: EventkitConfig;
  readonly registry: Registry;
  /** Absolute pact folder. */
  readonly pactDir: string;
  /** Absolute results matrix file. */
  readonly resultsFile: string;
  /** Errors in the config or the specs: nothing can be checked against a broken spec. */
  readonly errors: readonly Diagnostic[];
}

export async function loadContractsProject(cwd: string): Promise<ContractsProject> {
  const { config, diagnostics: configDiagnostics } = await loadConfig(cwd);
  const { registry, diagnostics } = await loadRegistry(config);
  return {
    config,
    registry,
    pactDir: path.resolve(config.root, config.output.pacts),
    resultsFile: path.resolve(config.root, config.output.results),
    errors: [...configDiagnostics, ...diagnostics].filter((d) => d.severity === 'error'),
  };
}
