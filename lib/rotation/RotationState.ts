import { RotationStateCorruptError } from './errors/RotationStateCorruptError.js';

/**
 * Where a credential's rotation stands. Each phase names the step that runs next:
 *
 * `idle` (nothing in flight) → `obtaining` (a new key from the provider, or staged by an operator)
 * → `testing` (a real signing call) → `publishing` (new latest secret version) → `refreshing`
 * (Key Vault references) → `overlapping` (both keys valid; waits for the overlap and for evidence
 * that the old key is unused) → `deactivating` (old version disabled, key revoked) → `idle`.
 */
export const rotationPhases = [
  'idle',
  'obtaining',
  'testing',
  'publishing',
  'refreshing',
  'overlapping',
  'deactivating',
] as const;
export type RotationPhase = (typeof rotationPhases)[number];

/** Who produced a key. */
export type KeySource = 'provider-api' | 'operator' | 'generated';

/** A key as the state names it: never its value. Times are ISO-8601. */
export interface KeyRecord {
  readonly keyId: string;
  readonly fingerprint: string;
  readonly expiresOn?: string;
  /** The secret version holding it, once published. */
  readonly secretVersion?: string;
}

/** The key a rotation is bringing in. Its value waits in the pending secret until published. */
export interface CandidateRecord extends KeyRecord {
  readonly source: KeySource;
  /** The version of the pending secret that holds the value, when there is one. */
  readonly pendingVersion?: string;
  readonly obtainedAt: string;
  readonly testedAt?: string;
}

/** A candidate that failed its test and was discarded. */
export interface RejectedKey {
  readonly keyId: string;
  readonly fingerprint: string;
  readonly reason: string;
  readonly at: string;
}

/** One rotation in flight, from its start to the old key's deactivation. */
export interface RotationRecord {
  /** Names the rotation in tags and events, like AWS's ClientRequestToken. */
  readonly id: string;
  readonly reason: 'expiry' | 'no-valid-key' | 'staged' | 'manual';
  /** Who asked for a manual rotation, e.g. an incident's rotation ID; repeated asks reuse it. */
  readonly requestId?: string;
  readonly startedAt: string;
  /** The keys valid when the rotation started: deactivated at its end. */
  readonly previous: readonly KeyRecord[];
  readonly candidate?: CandidateRecord;
  /** Times at which a provider key was about to be requested: used to find orphans after a crash. */
  readonly issueIntents: readonly string[];
  readonly rejected: readonly RejectedKey[];
  /** Alerts already raised, e.g. `escalation:30`, `expiry:7`. */
  readonly alerted: readonly string[];
  readonly publishedAt?: string;
  readonly refreshedAt?: string;
  readonly confirmedAt?: string;
  /** Previous key IDs already deactivated. */
  readonly deactivated: readonly string[];
}

/** The step that keeps failing, and when it runs again. */
export interface StepFailure {
  readonly step: string;
  readonly attempts: number;
  readonly reason: string;
  readonly code?: string;
  readonly at: string;
  readonly retryAt: string;
}

/** A rotation that completed, for status and audits. */
export interface CompletedRotation {
  readonly id: string;
  readonly requestId?: string;
  readonly keyId: string;
  readonly previous: readonly string[];
  readonly startedAt: string;
  readonly completedAt: string;
}

/** The record persisted per credential (one blob), written with ETag compare-and-swap. */
export interface RotationState {
  readonly schemaVersion: 1;
  readonly credential: string;
  readonly phase: RotationPhase;
  readonly rotation?: RotationRecord;
  readonly failure?: StepFailure;
  /** Automation stopped: set after too many failures, cleared by `run --resume` or `abort`. */
  readonly stopped?: { readonly step: string; readonly reason: string; readonly at: string };
  /** The timer does nothing for this credential before this time, unless forced. */
  readonly nextCheckAt?: string;
  readonly lastRunAt?: string;
  /** The most recent completions, newest last; at most 10. */
  readonly completed: readonly CompletedRotation[];
}

/** The state of a credential never rotated: idle, due now. */
export function newRotationState(credential: string): RotationState {
  return { schemaVersion: 1, credential, phase: 'idle', completed: [] };
}

/** Reads a persisted record; throws {@link RotationStateCorruptError} for anything else. */
export function parseRotationState(text: string, credential: string): RotationState {
  if (text.trim() === '') return newRotationState(credential);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new RotationStateCorruptError(credential, 'it is not JSON');
  }
  const state = parsed as Partial<RotationState> | null;
  if (state?.schemaVersion !== 1) {
    throw new RotationStateCorruptError(credential, 'its schemaVersion is not 1');
  }
  if (state.credential !== credential) {
    throw new RotationStateCorruptError(credential, 'it names another credential');
  }
  if (!rotationPhases.includes(state.phase as RotationPhase)) {
    throw new RotationStateCorruptError(
      credential,
      `its phase is not one of ${rotationPhases.join(', ')}`,
    );
  }
  if ((state.phase === 'idle') !== (state.rotation === undefined)) {
    throw new RotationStateCorruptError(credential, 'its phase and rotation disagree');
  }
  return { ...state, completed: state.completed ?? [] } as RotationState;
}
