import type { RunbookStep } from './RunbookStep.js';

/** A change the runbook will not make without an explicit override, and why. */
export interface Refusal {
  readonly action: string;
  readonly target: string;
  /** Why, in one sentence, naming the override that would allow it. */
  readonly reason: string;
}

/**
 * What a runbook command intends to do: its steps in order, what it refuses to do, and what a
 * person must do by hand (for example revoke a key in a provider portal that has no API).
 */
export interface RunbookPlan {
  /** `contain`, `recover`, ... */
  readonly runbook: string;
  readonly steps: readonly RunbookStep[];
  readonly refusals: readonly Refusal[];
  readonly manualActions: readonly string[];
}
