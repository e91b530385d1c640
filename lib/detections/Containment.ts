import type { ScheduledDetection } from './DetectionDefinition.js';

/** A containment step asked for by a detection's `automaticContainment`. */
export interface ContainmentRequest {
  readonly detection: ScheduledDetection;
  /** The value of the detection's containment column in the alert: the address to block. */
  readonly address: string;
  /** The alert's key, e.g. `ClientIp=203.0.113.7`, for the audit trail. */
  readonly alertKey: string;
}

/** What a containment step did, as its audit event records it. */
export interface ContainmentOutcome {
  readonly outcome: 'success' | 'unchanged' | 'refused' | 'failure';
  /** One sentence: what was changed, or why nothing was. */
  readonly detail: string;
}

/**
 * Carries out automatic containment for the alert timer. Implementations audit every decision
 * themselves (a `RunbookAction` event) and resolve with the outcome; they reject only on a bug.
 */
export interface Containment {
  contain(request: ContainmentRequest): Promise<ContainmentOutcome>;
}
