// `eventkit verify` as a function: check the inputs, verify every pact against its provider contract, record
// the outcome in the results matrix. Bad input (malformed pact, unknown participant or event, unreadable
// results) stops before anything runs and leaves the matrix untouched.

import path from 'node:path';
import type { Diagnostic, Registry } from '../model/types.ts';
import { redactUrl } from '../runtime/redact.ts';
import { type BrokerOptions, brokerVerifierOptions, publishPact } from './broker.ts';
import { badInputRules, crossCheck, crossCheckRules, SchemaValidators } from './cross-check.ts';
import { errorToDiagnostic, isContractsError } from './errors.ts';
import { type LoadedPact, readPactDir } from './pact-file.ts';
import { pactIsAboutServices, withMatchedTypes } from './pact-reader.ts';

export { errorToDiagnostic } from './errors.ts';

import {
  type PactVerification,
  type ProviderContract,
  type VerifyPactOptions,
  verifyPact,
} from './provider.ts';
import { type LoadedProviderContract, loadProviderContracts } from './provider-loader.ts';
import { type ResultsMatrix, readResults, recordVerifications, writeResults } from './results.ts';

export interface VerifyRunOptions {
  /** Project root (absolute). */
  readonly root: string;
  /** Pact folder, relative to root. */
  readonly pacts: string;
  /** Results matrix file, relative to root. */
  readonly results: string;
  /** Version recorded for provider and consumers (monorepo: one version for all). */
  readonly version: string;
  /** Provider contracts, or globs of modules exporting `createProviderContract()`. */
  readonly providers: readonly ProviderContract[] | { readonly globs: readonly string[] };
  /** The spec, to refuse pacts for participants or events it does not know. */
  readonly registry?: Registry;
  /** Only verify pacts of these providers. */
  readonly only?: readonly string[];
  /** Publish pacts to this Pact Broker and let the verifier publish its results there (see broker.ts). */
  readonly broker?: BrokerOptions;
  /** Write the results matrix (default true). */
  readonly record?: boolean;
  readonly onProgress?: (message: string) => void;
}

export type VerifyRunStatus = 'verified' | 'failed' | 'bad-input';

export interface VerifyRunResult {
  readonly status: VerifyRunStatus;
  /** Problems with the inputs (status `bad-input`), each with file and line. */
  readonly diagnostics: readonly Diagnostic[];
  readonly verifications: readonly PactVerification[];
  readonly interactions: { readonly total: number; readonly failed: number };
  readonly version: string;
  readonly resultsWritten: boolean;
  readonly durationMs: number;
}

export async function runVerification(options: VerifyRunOptions): Promise<VerifyRunResult> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => undefined);
  const badInput = (diagnostics: Diagnostic[]): VerifyRunResult => ({
    status: 'bad-input',
    diagnostics,
    verifications: [],
    interactions: { total: 0, failed: 0 },
    version: options.version,
    resultsWritten: false,
    durationMs: Math.round(performance.now() - started),
  });

  const resultsPath = path.resolve(options.root, options.results);
  let matrix: ResultsMatrix;
  try {
    matrix = await readResults(resultsPath, options.root);
  } catch (error) {
    if (isContractsError(error)) return badInput([errorToDiagnostic(error)]);
    throw error;
  }
  const { pacts, errors } = await readPactDir(path.resolve(options.root, options.pacts), options.root);
  if (errors.length > 0) return badInput(errors.map(errorToDiagnostic));
  const warnings: Diagnostic[] = [];
  let readable = pacts;
  if (options.registry !== undefined) {
    const registry = options.registry;
    const checked = crossCheck(registry, pacts).diagnostics;
    const unknown = checked.filter((d) => badInputRules.has(d.ruleId));
    if (unknown.length > 0) return badInput([...unknown]);
    // A pact about participants that are not services here: one warning, the others are still verified.
    warnings.push(...checked.filter((d) => d.ruleId === crossCheckRules.unknownPacticipant));
    const validators = new SchemaValidators();
    readable = pacts
      .filter((p) => pactIsAboutServices(registry, p))
      .map((p) => withMatchedTypes(registry, p, (event, body) => validators.fits(event, body)));
  }
  const selected = readable.filter(
    (p) => options.only === undefined || options.only.includes(p.pact.provider.name),
  );
  // A filter that matches nothing is a typo, not "0/0 verified".
  const unmatched = (options.only ?? []).filter((name) => !pacts.some((p) => p.pact.provider.name === name));
  if (unmatched.length > 0)
    return badInput(
      unmatched.map((name) => ({
        ruleId: 'contracts/unknown-pacticipant',
        severity: 'error' as const,
        message: `--provider ${name}: no pact in ${options.pacts} names "${name}" as its provider`,
        hint: `providers with pacts: ${[...new Set(pacts.map((p) => p.pact.provider.name))].sort().join(', ') || 'none'}`,
      })),
    );

  let contracts: LoadedProviderContract[];
  try {
    contracts =
      'globs' in options.providers
        ? await loadProviderContracts(options.providers.globs, options.root)
        : options.providers.map((contract) => ({ file: '(in process)', contract }));
  } catch (error) {
    if (isContractsError(error)) return badInput([errorToDiagnostic(error)]);
    throw error;
  }

  const verifications: PactVerification[] = [];
  try {
    for (const pact of selected) {
      const contract = contracts.find((c) => c.contract.service === pact.pact.provider.name)?.contract;
      progress(
        `verifying ${pact.pact.provider.name} → ${pact.pact.consumer.name} (${pact.pact.interactions.length} interactions, ${pact.file})`,
      );
      let verifierOptions: VerifyPactOptions['verifierOptions'];
      if (options.broker !== undefined && contract !== undefined) {
        const url = await publishPact(options.broker, pact, options.version);
        progress(`  published to ${redactUrl(url)}`);
        verifierOptions = brokerVerifierOptions(options.broker, url, options.version);
      }
      const verification =
        contract === undefined
          ? withoutProvider(pact)
          : await verifyPact(pact, contract, {
              providerVersion: options.version,
              ...(verifierOptions === undefined ? {} : { verifierOptions }),
            });
      verifications.push(verification);
      progress(
        `  ${verification.success ? 'ok' : 'FAILED'}: ${verification.interactions.filter((i) => i.success).length}/${verification.interactions.length} interactions in ${verification.durationMs} ms`,
      );
    }
  } finally {
    for (const { contract } of contracts) await contract.close?.();
  }

  let resultsWritten = false;
  if (options.record !== false && verifications.length > 0) {
    const next = recordVerifications(matrix, verifications, {
      providerVersion: options.version,
      consumerVersion: options.version,
    });
    await writeResults(resultsPath, next);
    resultsWritten = true;
  }
  const all = verifications.flatMap((v) => v.interactions);
  return {
    status: verifications.every((v) => v.success) ? 'verified' : 'failed',
    diagnostics: warnings,
    verifications,
    interactions: { total: all.length, failed: all.filter((i) => !i.success).length },
    version: options.version,
    resultsWritten,
    durationMs: Math.round(performance.now() - started),
  };
}

/** A pact whose provider has no provider contract: every interaction fails, saying so. */
function withoutProvider(pact: LoadedPact): PactVerification {
  const provider = pact.pact.provider.name;
  return {
    consumer: pact.pact.consumer.name,
    provider,
    file: pact.file,
    pactSha256: pact.sha256,
    success: false,
    durationMs: 0,
    interactions: pact.pact.interactions.map((interaction, index) => ({
      consumer: pact.pact.consumer.name,
      provider,
      description: interaction.description,
      ...(typeof interaction.metadata['ce-type'] === 'string'
        ? { eventType: interaction.metadata['ce-type'] }
        : {}),
      file: pact.file,
      line: pact.interactionLine(index),
      success: false,
      failures: [
        {
          message: `no provider contract for ${provider}: add test/contracts/providers/${provider}.provider.ts exporting createProviderContract()`,
        },
      ],
    })),
  };
}
