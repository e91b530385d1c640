/** What a step found when it looked at the live state. */
export interface StepInspection {
  /** True when the state the step aims for already holds: applying it would change nothing. */
  readonly done: boolean;
  /** The live state in a few words, for the plan and the report, e.g. `state Running`. */
  readonly observed: string;
}

/**
 * One change (or check) of a runbook. Steps run in order; each one is safe to repeat:
 *
 * - `inspect` reads the live state and says whether the step's goal already holds;
 * - `apply` makes it hold, reading and writing back whole lists so nothing else is lost;
 * - after `apply`, the executor calls `inspect` again and the step counts as done only if the
 *   read-back says so;
 * - `settle`, when present, is called when a step is found already done, to bring the containment
 *   record in line with a change an interrupted run made but did not get to record.
 *
 * A `check` step (a health check, a test seal) changes nothing: `inspect` is not used for it and
 * `apply` throws when the check fails.
 */
export interface RunbookStep {
  /** A stable verb for audit events and reports, e.g. `block-address`. */
  readonly action: string;
  /** What the step acts on, e.g. `203.0.113.7/32` or `seal-pdf`. */
  readonly target: string;
  readonly kind: 'change' | 'check';
  /** What the step changes or checks, in one sentence a responder can approve. */
  readonly summary: string;
  inspect(): Promise<StepInspection>;
  apply(): Promise<void>;
  settle?(): Promise<void>;
}
