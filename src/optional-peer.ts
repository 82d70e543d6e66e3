// Optional peer dependencies: packages only some features need (Pact for contract verification). A
// feature asks for its package before loading it, so a missing one is one line naming what to install,
// never a module-not-found stack trace.
import { createRequire } from 'node:module';

/** A feature needs a package that is not installed. The CLI reports it in one line (exit 69). */
export class MissingPeerError extends Error {
  override readonly name = 'MissingPeerError';
  constructor(
    readonly packageName: string,
    readonly feature: string,
  ) {
    super(
      `${feature} needs the package ${packageName}: install it in your project (npm install --save-dev ${packageName})`,
    );
  }
}

const require = createRequire(import.meta.url);

/** Throws MissingPeerError unless `packageName` resolves from eventkit's own location (as its imports do). */
export function requirePeer(packageName: string, feature: string): void {
  try {
    require.resolve(packageName);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND')
      throw new MissingPeerError(packageName, feature);
    throw error;
  }
}

/** Pact (pact-js): consumer message pacts and provider verification. */
export const pactPackage = '@pact-foundation/pact';
