// Public surface of `eventkit rollout`: the deploy order between the deployed documents and the new ones.
export { formatPlan } from './format.ts';
export { type PlanInput, planRollout } from './plan.ts';
export type { RolloutPlan, RolloutStep, StepAnswer, StepKind } from './types.ts';
