// The verification results matrix (`contracts/verification-results.json`): which pact (by content hash) each
// consumer version published, and which provider version verified it with what outcome. Committed, so the
// file has no timestamps and its rows are sorted.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically } from '../atomic-write.ts';
import { ContractsError } from './errors.ts';
import { parseJsonSource, stableJson } from './json-source.ts';
import type { PactVerification } from './provider.ts';

export interface PactPublication {
  readonly consumer: string;
  readonly consumerVersion: string;
  readonly provider: string;
  readonly pactSha256: string;
  readonly file: string;
  readonly interactions: number;
}

export interface RecordedFailure {
  readonly description: string;
  readonly field?: string;
  readonly message: string;
}

export interface VerificationRecord {
  readonly provider: string;
  readonly providerVersion: string;
  readonly consumer: string;
  readonly consumerVersion: string;
  readonly pactSha256: string;
  readonly success: boolean;
  readonly interactions: number;
  readonly failed: number;
  readonly failures: readonly RecordedFailure[];
}

export interface ResultsMatrix {
  readonly schemaVersion: 1;
  readonly pacts: readonly PactPublication[];
  readonly verifications: readonly VerificationRecord[];
}

export const emptyMatrix: ResultsMatrix = { schemaVersion: 1, pacts: [], verifications: [] };

/** Reads the matrix; a missing file is an empty matrix, anything unreadable or malformed a ContractsError. */
export async function readResults(absolutePath: string, root: string): Promise<ResultsMatrix> {
  const file = relative(root, absolutePath);
  let text: string;
  try {
    text = await readFile(absolutePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyMatrix;
    throw new ContractsError(
      'results-unreadable',
      `cannot read the verification results: ${(error as Error).message}`,
      {
        file,
        cause: error,
        hint: 'fix the file permissions, or delete the file to start a new matrix',
      },
    );
  }
  let source: ReturnType<typeof parseJsonSource>;
  try {
    source = parseJsonSource(text);
  } catch (error) {
    throw new ContractsError(
      'results-malformed',
      `verification results are not valid JSON: ${(error as Error).message}`,
      {
        file,
        line: (error as { line?: number }).line,
        cause: error,
        hint: 'restore it from git (git checkout -- <file>) or delete it and re-run eventkit verify',
      },
    );
  }
  const value = source.value as Partial<ResultsMatrix> | null;
  const bad = (message: string, at: (string | number)[]): never => {
    throw new ContractsError('results-malformed', message, {
      file,
      line: source.lineOf(at),
      hint: 'restore it from git or delete it and re-run eventkit verify',
    });
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return bad('expected a JSON object', []);
  if (value.schemaVersion !== 1)
    bad(`unsupported schemaVersion ${JSON.stringify(value.schemaVersion)} (expected 1)`, ['schemaVersion']);
  if (!Array.isArray(value.pacts)) bad('missing "pacts" array', ['pacts']);
  if (!Array.isArray(value.verifications)) bad('missing "verifications" array', ['verifications']);
  (value.pacts as unknown[]).forEach((row, i) => {
    if (!hasStrings(row, ['consumer', 'consumerVersion', 'provider', 'pactSha256']))
      bad(`pacts[${i}] is incomplete`, ['pacts', i]);
  });
  (value.verifications as unknown[]).forEach((row, i) => {
    if (
      !hasStrings(row, ['consumer', 'consumerVersion', 'provider', 'providerVersion', 'pactSha256']) ||
      typeof (row as { success?: unknown }).success !== 'boolean'
    ) {
      bad(`verifications[${i}] is incomplete`, ['verifications', i]);
    }
  });
  return value as ResultsMatrix;
}

/** Writes the matrix atomically (temp file + rename): an interrupted run never leaves half a file. */
export async function writeResults(absolutePath: string, matrix: ResultsMatrix): Promise<void> {
  await writeFileAtomically(absolutePath, stableJson(sortMatrix(matrix)));
}

/** Adds (or replaces) the rows of one verification run; pure. */
export function recordVerifications(
  matrix: ResultsMatrix,
  verifications: readonly PactVerification[],
  versions: { readonly providerVersion: string; readonly consumerVersion: string },
): ResultsMatrix {
  let pacts = [...matrix.pacts];
  let rows = [...matrix.verifications];
  for (const v of verifications) {
    const publication: PactPublication = {
      consumer: v.consumer,
      consumerVersion: versions.consumerVersion,
      provider: v.provider,
      pactSha256: v.pactSha256,
      file: v.file,
      interactions: v.interactions.length,
    };
    pacts = pacts.filter(
      (p) =>
        !(
          p.consumer === v.consumer &&
          p.provider === v.provider &&
          p.consumerVersion === versions.consumerVersion
        ),
    );
    pacts.push(publication);
    const failures = v.interactions.flatMap((i) =>
      i.failures.map((f) => ({
        description: i.description,
        ...(f.field === undefined ? {} : { field: f.field }),
        message: f.message,
      })),
    );
    const record: VerificationRecord = {
      provider: v.provider,
      providerVersion: versions.providerVersion,
      consumer: v.consumer,
      consumerVersion: versions.consumerVersion,
      pactSha256: v.pactSha256,
      success: v.success,
      interactions: v.interactions.length,
      failed: v.interactions.filter((i) => !i.success).length,
      failures,
    };
    rows = rows.filter(
      (r) =>
        !(
          r.provider === record.provider &&
          r.providerVersion === record.providerVersion &&
          r.consumer === record.consumer &&
          r.consumerVersion === record.consumerVersion
        ),
    );
    rows.push(record);
  }
  return sortMatrix({ schemaVersion: 1, pacts, verifications: rows });
}

function sortMatrix(matrix: ResultsMatrix): ResultsMatrix {
  const key = (...parts: string[]) => parts.join('\u0000');
  return {
    schemaVersion: 1,
    pacts: [...matrix.pacts].sort((a, b) =>
      key(a.consumer, a.provider, a.consumerVersion).localeCompare(
        key(b.consumer, b.provider, b.consumerVersion),
      ),
    ),
    verifications: [...matrix.verifications].sort((a, b) =>
      key(a.provider, a.consumer, a.providerVersion, a.consumerVersion).localeCompare(
        key(b.provider, b.consumer, b.providerVersion, b.consumerVersion),
      ),
    ),
  };
}

function hasStrings(row: unknown, keys: readonly string[]): boolean {
  return (
    row !== null &&
    typeof row === 'object' &&
    keys.every((k) => typeof (row as Record<string, unknown>)[k] === 'string')
  );
}

function relative(root: string, absolutePath: string): string {
  return path.relative(root, absolutePath).split(path.sep).join('/');
}
