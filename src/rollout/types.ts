// The vocabulary of `eventkit rollout`: an ordered deploy plan between the deployed documents and the new ones.

export type StepKind = 'deploy' | 'retire';

/** The can-i-deploy answer for the version a step ships. */
export interface StepAnswer {
  readonly deployable: boolean;
  readonly reason: string;
}

export interface RolloutStep {
  /** `deploy payments`, `retire orders.v1.OrderPlaced`. */
  readonly id: string;
  readonly kind: StepKind;
  readonly service: string;
  /** What the step ships, in one line. */
  readonly what: string;
  /** Why the service is in the plan and why it sits where it does. */
  readonly reasons: readonly string[];
  /** Steps that must be live first. */
  readonly after: readonly string[];
  /** 1-based; steps of one wave may go out together. Absent on a blocked step. */
  readonly wave?: number;
  readonly canIDeploy?: StepAnswer;
  /** Why the step cannot go out (empty when it can). */
  readonly blocked: readonly string[];
}

export interface RolloutPlan {
  /** Label of the deployed documents (`git:main@1a2b3c4`, `dir:…`). */
  readonly base: string;
  readonly head: string;
  /** Runnable steps by wave, then the blocked ones. */
  readonly steps: readonly RolloutStep[];
  /** Things to know that need no step (versions that stay, durables to prune afterwards). */
  readonly notes: readonly string[];
  /** Every step can go out in this order. */
  readonly safe: boolean;
}
