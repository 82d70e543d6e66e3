// Finds the provider contracts (one module per producing service) that `eventkit verify` runs.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fg from 'fast-glob';
import { defaultConfigValues, providerGlobIgnore } from '../model/config.ts';
import { ContractsError } from './errors.ts';
import type { ProviderContract } from './provider.ts';

/** Where provider contract modules are looked for when the config has no `contracts.providers`. */
export const defaultProviderGlobs: readonly string[] = defaultConfigValues.contracts.providers;

/**
 * A provider contract module exports `createProviderContract()`; a factory (not a value) so every
 * verification run starts from a fresh world.
 */
export interface ProviderContractModule {
  createProviderContract(): ProviderContract | Promise<ProviderContract>;
}

export interface LoadedProviderContract {
  readonly file: string;
  readonly contract: ProviderContract;
}

export async function loadProviderContracts(
  globs: readonly string[],
  root: string,
): Promise<LoadedProviderContract[]> {
  const files = (
    await fg([...globs], { cwd: root, onlyFiles: true, ignore: [...providerGlobIgnore] })
  ).sort();
  const loaded: LoadedProviderContract[] = [];
  for (const file of files) {
    const module = (await import(
      pathToFileURL(path.join(root, file)).href
    )) as Partial<ProviderContractModule>;
    if (typeof module.createProviderContract !== 'function') {
      throw new ContractsError(
        'no-provider',
        'a provider contract module must export createProviderContract()',
        {
          file,
          hint: 'export function createProviderContract(): ProviderContract { ... } (see src/contracts/README.md)',
        },
      );
    }
    loaded.push({ file, contract: await module.createProviderContract() });
  }
  return loaded;
}
