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
  if (files.length === 0)
    throw new ContractsError(
      'no-provider',
      `no provider contract module matches ${globs.map((g) => `"${g}"`).join(', ')}`,
      {
        hint: 'point --providers (or "contracts.providers" in eventkit.config.json) at modules exporting createProviderContract()',
      },
    );
  const loaded: LoadedProviderContract[] = [];
  for (const file of files) {
    let module: Partial<ProviderContractModule>;
    try {
      module = (await import(pathToFileURL(path.join(root, file)).href)) as Partial<ProviderContractModule>;
    } catch (error) {
      // The module is the user's code: its failure is bad input named by file, not an eventkit crash.
      const reason =
        error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
      throw new ContractsError('no-provider', `provider contract module ${file} failed to load: ${reason}`, {
        file,
        cause: error,
        hint: 'fix the module so it imports cleanly (run it with tsx to see the full error)',
      });
    }
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
    let contract: ProviderContract;
    try {
      contract = await module.createProviderContract();
    } catch (error) {
      const reason =
        error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
      throw new ContractsError('no-provider', `createProviderContract() of ${file} threw: ${reason}`, {
        file,
        cause: error,
      });
    }
    loaded.push({ file, contract });
  }
  return loaded;
}
