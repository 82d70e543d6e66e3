// How `eventkit verify` splits its work across worker processes: whole providers per worker (a provider's
// world starts once per process), balanced by interactions, the largest first.

export interface ProviderLoad {
  readonly provider: string;
  readonly interactions: number;
}

/** What starting a provider's world costs, in interactions: a worker with two providers pays it twice. */
const PROVIDER_START_COST = 3;

/**
 * Groups the providers into at most `workers` sets of similar load (longest-processing-time first).
 * Deterministic: ties go to the first least-loaded group, providers with equal load in name order.
 */
export function planWorkers(loads: readonly ProviderLoad[], workers: number): string[][] {
  const count = Math.max(1, Math.min(Math.floor(workers), loads.length));
  const groups = Array.from({ length: count }, () => ({ providers: [] as string[], load: 0 }));
  const heaviest = [...loads].sort(
    (a, b) => b.interactions - a.interactions || a.provider.localeCompare(b.provider, 'en'),
  );
  for (const { provider, interactions } of heaviest) {
    const lightest = groups.reduce((best, group) => (group.load < best.load ? group : best));
    lightest.providers.push(provider);
    lightest.load += interactions + PROVIDER_START_COST;
  }
  return groups.map((g) => g.providers.sort()).filter((g) => g.length > 0);
}
