import type { Refusal } from './RunbookPlan.js';

/**
 * What became of one step: `planned` (no `--yes`), `unchanged` (its goal already held),
 * `changed` (applied and confirmed by read-back), `checked` (a check that passed), `failed`.
 */
export type StepOutcome = 'planned' | 'unchanged' | 'changed' | 'checked' | 'failed';

export interface StepResult {
  readonly action: string;
  readonly target: string;
  readonly kind: 'change' | 'check';
  readonly summary: string;
  readonly outcome: StepOutcome;
  /** The live state before the step, as `inspect` described it. */
  readonly before?: string;
  /** The live state read back after the step. */
  readonly after?: string;
  /** Why the step failed, in one sentence. */
  readonly error?: string;
}

/**
 * The result of one run: `planned` (nothing changed), `success`, `failure` (a step failed; the
 * steps after it did not run), or `refused` (a guard rail stopped the run before any change).
 */
export interface RunbookRunReport {
  readonly runbook: string;
  readonly runId: string;
  readonly app: string;
  readonly actor: string;
  readonly incidentId: string | undefined;
  readonly outcome: 'planned' | 'success' | 'failure' | 'refused';
  readonly steps: readonly StepResult[];
  readonly refusals: readonly Refusal[];
  readonly manualActions: readonly string[];
  readonly startedAt: Date;
  readonly finishedAt: Date;
}
