// The pacts one consumer test file writes: one MessagePact per provider, into `contracts/pacts/` (or
// EVENTKIT_PACT_DIR), normalised once the file's tests are done.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMessagePact, type MessagePact } from '../../../src/contracts/index.ts';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export function pactDir(): string {
  return process.env.EVENTKIT_PACT_DIR ?? path.join(repoRoot, 'contracts/pacts');
}

export interface ConsumerPacts {
  /** The pact with `provider`, created (and its old file removed) on first use. */
  with(provider: string): Promise<MessagePact>;
  /** Normalises every pact written; call in afterAll. */
  finalize(): Promise<void>;
}

export function consumerPacts(consumer: string): ConsumerPacts {
  const pacts = new Map<string, Promise<MessagePact>>();
  return {
    with(provider) {
      let pact = pacts.get(provider);
      if (pact === undefined) {
        pact = createMessagePact({ consumer, provider, dir: pactDir() });
        pacts.set(provider, pact);
      }
      return pact;
    },
    async finalize() {
      for (const pact of pacts.values()) await (await pact).finalize(repoRoot);
    },
  };
}
