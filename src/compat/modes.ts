// Compatibility modes (Confluent Schema Registry semantics) and the deploy order a difference implies.
import type { CompatibilityMode, DeployOrder } from './types.ts';
import { compatibilityModes, defaultCompatibilityMode } from './types.ts';

export interface Directions {
  /** New readers accept old data. */
  readonly backward: boolean;
  /** Old readers accept new data. */
  readonly forward: boolean;
}

/** True when a difference violates the mode. */
export function violatesMode(mode: CompatibilityMode, d: Directions): boolean {
  switch (mode) {
    case 'NONE':
      return false;
    case 'BACKWARD':
    case 'BACKWARD_TRANSITIVE':
      return !d.backward;
    case 'FORWARD':
    case 'FORWARD_TRANSITIVE':
      return !d.forward;
    case 'FULL':
    case 'FULL_TRANSITIVE':
      return !(d.backward && d.forward);
  }
}

export function isTransitive(mode: CompatibilityMode): boolean {
  return mode.endsWith('_TRANSITIVE');
}

/**
 * Backward-only: new readers read everything, so deploy consumers first.
 * Forward-only: old readers read new data, so producers may go first.
 */
export function deployOrderFor(d: Directions): DeployOrder {
  if (d.backward && d.forward) return 'any';
  if (d.backward) return 'consumers-first';
  if (d.forward) return 'producers-first';
  return 'new-major';
}

export type ModeReading = { readonly mode: CompatibilityMode } | { readonly error: string };

/** Reads `x-eventkit-compatibility`; absent means the default (BACKWARD). Case-insensitive. */
export function readCompatibilityMode(value: unknown): ModeReading {
  if (value === undefined || value === null) return { mode: defaultCompatibilityMode };
  if (typeof value === 'string') {
    const upper = value.trim().toUpperCase().replaceAll('-', '_');
    const found = compatibilityModes.find((m) => m === upper);
    if (found !== undefined) return { mode: found };
  }
  return {
    error: `x-eventkit-compatibility must be one of ${compatibilityModes.join(', ')}; got ${JSON.stringify(value)}`,
  };
}
