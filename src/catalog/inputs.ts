// What the catalog reads besides the registry: contract verification, can-i-deploy and compatibility results.
// Other modules (src/contracts, src/compat) produce these; the catalog only displays them.

/**
 * State of one consumer's contract for one event:
 * - `verified`: a pact exists and the provider's last verification passed,
 * - `failing`: the provider's last verification failed,
 * - `unverified`: a pact exists but no verification result mentions it,
 * - `no-contract`: the consumer receives the event but has no pact for it.
 */
export type ContractState = 'verified' | 'failing' | 'unverified' | 'no-contract';

export interface ContractStatus {
  /** Consumer service id. */
  readonly consumer: string;
  /** Provider (producer) service id. */
  readonly provider: string;
  /** Event type, e.g. `orders.v1.OrderPlaced`. */
  readonly eventType: string;
  /** Pact interaction description; empty for `no-contract`. */
  readonly interaction: string;
  readonly status: ContractState;
  /** Payload field paths the consumer's pact relies on (`total.currencyCode`, `items[].sku`), sorted. */
  readonly fieldsUsed: readonly string[];
  /** ISO time of the verification the status comes from. */
  readonly verifiedAt?: string;
  readonly providerVersion?: string;
  /** Pact file (relative to the project root) the interaction comes from. */
  readonly pactFile?: string;
  /** Why a verification failed, as reported by the verifier. */
  readonly failure?: string;
}

/** The can-i-deploy answer for one service (from `contracts/verification-results.json`). */
export interface CanIDeploy {
  readonly service: string;
  readonly version?: string;
  readonly environment?: string;
  readonly deployable: boolean;
  readonly reasons: readonly string[];
}

export type FieldChangeKind =
  | 'added'
  | 'removed'
  | 'type-changed'
  | 'number-changed'
  | 'cardinality-changed'
  | 'required-changed'
  | 'enum-value-added'
  | 'enum-value-removed';

export interface FieldChange {
  /** Dotted JSON path, `items[].sku`. */
  readonly path: string;
  readonly kind: FieldChangeKind;
  readonly from?: string;
  readonly to?: string;
  readonly breaking: boolean;
}

/** Field-level difference between two consecutive majors of one event (`orders.v1.X` → `orders.v2.X`). */
export interface VersionDiff {
  readonly from: string;
  readonly to: string;
  readonly class: 'breaking' | 'non-breaking';
  readonly changes: readonly FieldChange[];
}

/** A problem with an input file: the catalog still builds and shows what it could read. */
export interface InputWarning {
  readonly file: string;
  readonly message: string;
}

export interface CatalogInputs {
  /** Pact interactions merged with verification results (one entry per consumer × event × interaction). */
  readonly contracts: readonly ContractStatus[];
  readonly canIDeploy: readonly CanIDeploy[];
  /** Diffs from the compat module; the catalog computes its own for pairs missing here. */
  readonly versionDiffs: readonly VersionDiff[];
  readonly warnings: readonly InputWarning[];
}

export const emptyInputs: CatalogInputs = { contracts: [], canIDeploy: [], versionDiffs: [], warnings: [] };
