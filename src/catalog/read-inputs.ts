// Reads pacts and verification results from the project, tolerant of partial or missing files:
// a missing file means "no contracts yet", a broken one becomes a warning and the catalog still builds.
import fs from 'node:fs';
import path from 'node:path';
// The light files of the contracts module only: its index pulls in the Pact verifier.
import { canIDeploy as answerCanIDeploy } from '../contracts/can-i-deploy.ts';
import { SchemaValidators } from '../contracts/cross-check.ts';
import { parsePactText } from '../contracts/pact-file.ts';
import { matchInteraction } from '../contracts/pact-reader.ts';
import type { ResultsMatrix } from '../contracts/results.ts';
import type { EventModel, Registry } from '../model/types.ts';
import type {
  CanIDeploy,
  CatalogInputs,
  ContractState,
  ContractStatus,
  InputWarning,
  VersionDiff,
} from './inputs.ts';
import { type PactMessage, readPact } from './pact.ts';

export interface InputPaths {
  /** Folder of pact files, relative to the root. */
  readonly pacts: string;
  /** Verification results file, relative to the root. */
  readonly results: string;
  /** Optional compatibility results (`VersionDiff[]`), relative to the root. */
  readonly compat?: string;
}

interface VerificationRecord {
  readonly consumer: string;
  readonly provider: string;
  readonly interaction?: string;
  readonly eventType?: string;
  readonly status: 'verified' | 'failing';
  readonly verifiedAt?: string;
  readonly providerVersion?: string;
  readonly failure?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function statusOf(v: Record<string, unknown>): 'verified' | 'failing' | undefined {
  const s = v.status ?? v.result ?? v.success ?? v.verified;
  if (s === true || s === 'verified' || s === 'passed' || s === 'success' || s === 'ok') return 'verified';
  if (s === false || s === 'failing' || s === 'failed' || s === 'failure' || s === 'error') return 'failing';
  return undefined;
}

function readJson(file: string, warnings: InputWarning[], rel: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    warnings.push({ file: rel, message: `cannot read it as JSON (${reason}); fix or delete the file` });
    return undefined;
  }
}

function readResults(
  doc: unknown,
  rel: string,
  warnings: InputWarning[],
): { records: VerificationRecord[]; canIDeploy: CanIDeploy[] } {
  const list = Array.isArray(doc) ? doc : isObject(doc) ? (doc.results ?? doc.verifications ?? []) : [];
  const records: VerificationRecord[] = [];
  if (Array.isArray(list)) {
    for (const [i, r] of list.entries()) {
      const status = isObject(r) ? statusOf(r) : undefined;
      const consumer = isObject(r) ? str(r.consumer) : undefined;
      const provider = isObject(r) ? str(r.provider) : undefined;
      if (!isObject(r) || !status || !consumer || !provider) {
        warnings.push({
          file: rel,
          message: `results[${i}] needs consumer, provider and status ('verified' | 'failing'); skipped`,
        });
        continue;
      }
      const interaction = str(r.interaction) ?? str(r.description);
      const eventType = str(r.eventType) ?? str(r.type);
      const verifiedAt = str(r.verifiedAt) ?? str(r.time);
      const providerVersion = str(r.providerVersion);
      const failure = str(r.failure) ?? str(r.error) ?? str(r.message);
      records.push({
        consumer,
        provider,
        status,
        ...(interaction ? { interaction } : {}),
        ...(eventType ? { eventType } : {}),
        ...(verifiedAt ? { verifiedAt } : {}),
        ...(providerVersion ? { providerVersion } : {}),
        ...(failure ? { failure } : {}),
      });
    }
  }
  const canIDeploy: CanIDeploy[] = [];
  const cid = isObject(doc) ? doc.canIDeploy : undefined;
  if (Array.isArray(cid)) {
    for (const c of cid) {
      if (!isObject(c) || !str(c.service) || typeof c.deployable !== 'boolean') continue;
      canIDeploy.push({
        service: str(c.service) as string,
        deployable: c.deployable,
        reasons: Array.isArray(c.reasons) ? c.reasons.filter((x): x is string => typeof x === 'string') : [],
        ...(str(c.version) ? { version: str(c.version) } : {}),
        ...(str(c.environment) ? { environment: str(c.environment) } : {}),
      });
    }
  }
  return { records, canIDeploy };
}

const pairKey = (consumer: string, provider: string): string => `${consumer}\u0000${provider}`;

/** Groups items by consumer and provider, keeping their order (so lookups filter a pair's few items, not all). */
function byPair<T extends { readonly consumer: string; readonly provider: string }>(
  items: readonly T[],
): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    // A malformed entry (no string consumer or provider) matches no pact message, as before.
    if (typeof item.consumer !== 'string' || typeof item.provider !== 'string') continue;
    const key = pairKey(item.consumer, item.provider);
    const list = map.get(key);
    if (list) list.push(item);
    else map.set(key, [item]);
  }
  return map;
}

function latestRecord(
  recordsByPair: ReadonlyMap<string, readonly VerificationRecord[]>,
  m: PactMessage,
  eventType: string,
): VerificationRecord | undefined {
  const matching = (recordsByPair.get(pairKey(m.consumer, m.provider)) ?? []).filter(
    (r) => r.interaction === m.description || (!r.interaction && r.eventType === eventType),
  );
  // The latest record wins when a results file lists several runs.
  return matching.sort((a, b) => (a.verifiedAt ?? '').localeCompare(b.verifiedAt ?? '')).at(-1);
}

/** The contracts module's matrix: `{ schemaVersion: 1, pacts: [...], verifications: [...] }`. */
function isMatrix(doc: unknown): doc is ResultsMatrix {
  return (
    isObject(doc) && doc.schemaVersion === 1 && Array.isArray(doc.pacts) && Array.isArray(doc.verifications)
  );
}

/**
 * One interaction's state from the matrix: only verifications of this exact pact content count (as for
 * can-i-deploy); a successful one verifies it, a failed one fails it when it lists this interaction.
 */
function fromMatrix(
  verificationsByPair: ReadonlyMap<string, readonly ResultsMatrix['verifications'][number][]>,
  m: PactMessage,
  sha: string | undefined,
): VerificationRecord | undefined {
  const runs = (verificationsByPair.get(pairKey(m.consumer, m.provider)) ?? []).filter(
    (v) => sha === undefined || v.pactSha256 === sha,
  );
  if (runs.length === 0) return undefined;
  const passed = runs.find((v) => v.success);
  if (passed)
    return {
      consumer: m.consumer,
      provider: m.provider,
      status: 'verified',
      providerVersion: passed.providerVersion,
    };
  for (const v of runs) {
    const failure = v.failures.find((f) => f.description === m.description);
    if (failure) {
      return {
        consumer: m.consumer,
        provider: m.provider,
        status: 'failing',
        providerVersion: v.providerVersion,
        failure: failure.field ? `${failure.field}: ${failure.message}` : failure.message,
      };
    }
  }
  return {
    consumer: m.consumer,
    provider: m.provider,
    status: 'verified',
    providerVersion: runs[0]?.providerVersion as string,
  };
}

/** can-i-deploy for every service at the version that published the pacts now on disk. */
function matrixDeployAnswers(
  matrix: ResultsMatrix,
  registry: Registry,
  currentShas: ReadonlySet<string>,
): CanIDeploy[] {
  const versions = new Map<string, number>();
  for (const p of matrix.pacts)
    if (currentShas.has(p.pactSha256))
      versions.set(p.consumerVersion, (versions.get(p.consumerVersion) ?? 0) + 1);
  const version = [...versions.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  if (!version) return [];
  const known = registry.services.map((s) => s.id);
  const answers: CanIDeploy[] = [];
  for (const service of known) {
    try {
      const answer = answerCanIDeploy(matrix, service, version, known);
      if (answer.integrations.length === 0) continue;
      answers.push({ service, version, deployable: answer.deployable, reasons: [answer.reason] });
    } catch {
      // A service the matrix does not know has no answer.
    }
  }
  return answers;
}

/** Reads every input the catalog shows next to the registry. Never throws on bad input files. */
export function readCatalogInputs(root: string, registry: Registry, paths: InputPaths): CatalogInputs {
  const warnings: InputWarning[] = [];
  const messages: PactMessage[] = [];
  const pactFiles = new Map<string, string>();
  /** Content hash of each pact file as the contracts module computes it, by relative path (matrix only). */
  const pactSha = new Map<string, string>();
  const pactDir = path.join(root, paths.pacts);
  if (fs.existsSync(pactDir)) {
    for (const name of fs
      .readdirSync(pactDir)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      const rel = path.posix.join(paths.pacts.split(path.sep).join('/'), name);
      const doc = readJson(path.join(pactDir, name), warnings, rel);
      if (doc === undefined) continue;
      pactFiles.set(rel, path.join(pactDir, name));
      try {
        messages.push(...readPact(doc, rel));
      } catch (error) {
        warnings.push({
          file: rel,
          message: `not a Pact file: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
  }
  let records: VerificationRecord[] = [];
  let canIDeploy: CanIDeploy[] = [];
  let matrix: ResultsMatrix | undefined;
  const resultsFile = path.join(root, paths.results);
  if (fs.existsSync(resultsFile)) {
    const doc = readJson(resultsFile, warnings, paths.results);
    if (isMatrix(doc)) matrix = doc;
    else if (doc !== undefined) ({ records, canIDeploy } = readResults(doc, paths.results, warnings));
  }
  if (matrix) {
    // Hashing re-parses each pact with the contracts module's reader, so only when a matrix needs it.
    for (const [rel, file] of pactFiles) {
      try {
        pactSha.set(rel, parsePactText(fs.readFileSync(file, 'utf8'), rel).sha256);
      } catch {
        // Not in the contracts module's shape: matched by consumer and provider only.
      }
    }
    canIDeploy = matrixDeployAnswers(matrix, registry, new Set(pactSha.values()));
  }
  let versionDiffs: VersionDiff[] = [];
  if (paths.compat && fs.existsSync(path.join(root, paths.compat))) {
    const doc = readJson(path.join(root, paths.compat), warnings, paths.compat);
    const list = isObject(doc) ? doc.diffs : doc;
    if (Array.isArray(list)) {
      versionDiffs = list.filter(
        (d): d is VersionDiff =>
          isObject(d) &&
          typeof d.from === 'string' &&
          typeof d.to === 'string' &&
          Array.isArray(d.changes) &&
          (d.class === 'breaking' || d.class === 'non-breaking'),
      );
    }
  }

  // Which event a message is about: the contracts module's one rule (ce-type, subject, description, body).
  const validators = new SchemaValidators();
  const fits = (event: EventModel, body: unknown): boolean => validators.fits(event, body);
  const contracts: ContractStatus[] = [];
  const recordsByPair = byPair(records);
  const verificationsByPair = matrix ? byPair(matrix.verifications) : new Map();
  for (const m of messages) {
    const match = matchInteraction(registry, m.provider, m, fits);
    if (!match.event) {
      warnings.push({
        file: m.file,
        message: `interaction "${m.description}": ${match.reason}; ${match.hint}`,
      });
      continue;
    }
    const eventType = match.event.type;
    const record = matrix
      ? fromMatrix(verificationsByPair, m, pactSha.get(m.file))
      : latestRecord(recordsByPair, m, eventType);
    const status: ContractState = record ? record.status : 'unverified';
    contracts.push({
      consumer: m.consumer,
      provider: m.provider,
      eventType,
      interaction: m.description,
      status,
      fieldsUsed: m.fieldsUsed,
      pactFile: m.file,
      ...(record?.verifiedAt ? { verifiedAt: record.verifiedAt } : {}),
      ...(record?.providerVersion ? { providerVersion: record.providerVersion } : {}),
      ...(record?.failure ? { failure: record.failure } : {}),
    });
  }
  return { contracts, canIDeploy, versionDiffs, warnings };
}
