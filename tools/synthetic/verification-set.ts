// A larger verification workload made from the repository's real pacts: every interaction is repeated
// under a new description until the set has `total` interactions. The copies keep their provider states,
// metadata and matching rules, so verifying them runs the real providers' real commands on real storage —
// which is where verification time goes — unlike the registry-only synthetic pacts (contracts.ts), whose
// producers do not exist.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

interface PactJson {
  consumer: { name: string };
  provider: { name: string };
  interactions: { description: string }[];
  [key: string]: unknown;
}

/** Writes the scaled pact files into `outDir`; returns how many interactions they hold. */
export function writeVerificationSet(pactDir: string, outDir: string, total: number): number {
  const pacts = readdirSync(pactDir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ name, pact: JSON.parse(readFileSync(path.join(pactDir, name), 'utf8')) as PactJson }));
  const originals = pacts.map((p) => p.pact.interactions);
  const available = originals.reduce((sum, list) => sum + list.length, 0);
  if (available === 0) throw new Error(`no interactions in ${pactDir}`);
  const scaled = pacts.map((p) => ({
    ...p,
    pact: { ...p.pact, interactions: [] as { description: string }[] },
  }));
  // Round robin over every original interaction, so each provider and state gets its share.
  let written = 0;
  for (let copy = 1; written < total; copy++) {
    originals.forEach((list, index) => {
      for (const interaction of list) {
        if (written >= total) return;
        scaled[index]?.pact.interactions.push({
          ...interaction,
          description: copy === 1 ? interaction.description : `${interaction.description} (copy ${copy})`,
        });
        written++;
      }
    });
  }
  mkdirSync(outDir, { recursive: true });
  for (const { name, pact } of scaled) {
    if (pact.interactions.length > 0)
      writeFileSync(path.join(outDir, name), `${JSON.stringify(pact, null, 2)}\n`);
  }
  return written;
}
