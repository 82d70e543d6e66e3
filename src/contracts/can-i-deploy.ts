// can-i-deploy: answers from the results matrix whether one pacticipant version is safe to deploy.
// eventkit versions everything in one repository, so both sides of an integration share a version (the
// git sha): a version is deployable when every pact it published as consumer, and every pact published
// for it as provider at that version, has a successful verification of that exact pact content.
import { ContractsError } from './errors.ts';
import type { ResultsMatrix, VerificationRecord } from './results.ts';

export type IntegrationStatus = 'verified' | 'failed' | 'unverified';

export interface IntegrationRow {
  readonly consumer: string;
  readonly consumerVersion: string;
  readonly provider: string;
  /** The provider version whose verification counts; absent when nobody verified the pact. */
  readonly providerVersion?: string;
  readonly pactSha256: string;
  readonly status: IntegrationStatus;
  readonly interactions: number;
  readonly failed: number;
}

export interface DeployAnswer {
  readonly pacticipant: string;
  readonly version: string;
  readonly deployable: boolean;
  readonly reason: string;
  readonly integrations: readonly IntegrationRow[];
}

export function canIDeploy(
  matrix: ResultsMatrix,
  pacticipant: string,
  version: string,
  knownPacticipants: readonly string[] = [],
): DeployAnswer {
  const inMatrix = new Set(matrix.pacts.flatMap((p) => [p.consumer, p.provider]));
  for (const v of matrix.verifications) inMatrix.add(v.provider).add(v.consumer);
  if (!inMatrix.has(pacticipant) && !knownPacticipants.includes(pacticipant)) {
    const known = [...new Set([...inMatrix, ...knownPacticipants])].sort().join(', ') || 'none';
    throw new ContractsError(
      'unknown-pacticipant',
      `unknown pacticipant "${pacticipant}" (known: ${known})`,
      {
        hint: 'use a service id from the AsyncAPI documents',
      },
    );
  }
  const publications = matrix.pacts.filter(
    (p) => p.consumerVersion === version && (p.consumer === pacticipant || p.provider === pacticipant),
  );
  const integrations = publications.map((p): IntegrationRow => {
    const candidates = matrix.verifications.filter(
      (v) =>
        v.consumer === p.consumer &&
        v.provider === p.provider &&
        v.consumerVersion === p.consumerVersion &&
        v.pactSha256 === p.pactSha256,
    );
    const chosen = chooseVerification(candidates, version);
    return {
      consumer: p.consumer,
      consumerVersion: p.consumerVersion,
      provider: p.provider,
      ...(chosen === undefined ? {} : { providerVersion: chosen.providerVersion }),
      pactSha256: p.pactSha256,
      status: chosen === undefined ? 'unverified' : chosen.success ? 'verified' : 'failed',
      interactions: p.interactions,
      failed: chosen?.failed ?? 0,
    };
  });
  if (integrations.length === 0) {
    const everIntegrated = matrix.pacts.some((p) => p.consumer === pacticipant || p.provider === pacticipant);
    return everIntegrated
      ? {
          pacticipant,
          version,
          deployable: false,
          reason: `no verification results for ${pacticipant} at version ${short(version)}; run eventkit verify --version ${version}`,
          integrations,
        }
      : {
          pacticipant,
          version,
          deployable: true,
          reason: `${pacticipant} has no contracts with other services`,
          integrations,
        };
  }
  const failed = integrations.filter((i) => i.status === 'failed');
  const unverified = integrations.filter((i) => i.status === 'unverified');
  const deployable = failed.length === 0 && unverified.length === 0;
  const reason = deployable
    ? `all ${integrations.length} integrations of ${pacticipant}@${short(version)} are verified`
    : [
        failed.length > 0 ? `${failed.length} failed (${failed.map(label).join(', ')})` : '',
        unverified.length > 0
          ? `${unverified.length} not verified (${unverified.map(label).join(', ')})`
          : '',
      ]
        .filter(Boolean)
        .join('; ');
  return { pacticipant, version, deployable, reason, integrations };
}

/** Same-version verification first (this commit's provider), else any verification of the identical pact. */
function chooseVerification(
  candidates: readonly VerificationRecord[],
  version: string,
): VerificationRecord | undefined {
  return (
    candidates.find((v) => v.providerVersion === version) ??
    candidates.find((v) => v.success) ??
    candidates[0]
  );
}

function label(row: IntegrationRow): string {
  return `${row.provider} → ${row.consumer}`;
}

/** The answer as an aligned text table plus a verdict line. */
export function formatDeployAnswer(answer: DeployAnswer): string {
  const header = ['CONSUMER', 'C.VERSION', 'PROVIDER', 'P.VERSION', 'STATUS', 'INTERACTIONS'];
  const rows = answer.integrations.map((i) => [
    i.consumer,
    short(i.consumerVersion),
    i.provider,
    i.providerVersion === undefined ? '-' : short(i.providerVersion),
    i.status,
    `${i.interactions - i.failed}/${i.interactions}`,
  ]);
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => (r[col] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, col) => cell.padEnd(widths[col] ?? 0))
      .join('  ')
      .trimEnd();
  const table = rows.length === 0 ? '' : `${[line(header), ...rows.map(line)].join('\n')}\n\n`;
  const verdict = answer.deployable ? 'yes' : 'no';
  return `${table}can-i-deploy ${answer.pacticipant}@${short(answer.version)}: ${verdict} — ${answer.reason}\n`;
}

function short(version: string): string {
  return /^[0-9a-f]{40}$/.test(version) ? version.slice(0, 12) : version;
}
