import type { Outcome } from '../telemetry/events.js';
import type { RotationPolicy } from './RotationPolicy.js';
import type { CandidateRecord, KeyRecord, RotationRecord, RotationState } from './RotationState.js';

/** A key valid now, as the source of truth (Key Vault, the app) shows it. */
export interface KeyView {
  readonly keyId: string;
  readonly fingerprint: string;
  readonly expiresOn?: Date;
  readonly secretVersion?: string;
}

/** The keys of a credential that are valid now, preferred (newest) first. */
export interface KeyInventory {
  readonly valid: readonly KeyView[];
}

/** What a test of a candidate concluded. A failure that may pass later is thrown instead. */
export type TestVerdict =
  | { readonly passed: true }
  | { readonly passed: false; readonly code: string; readonly reason: string };

/** Whether the previous keys have gone unused for the quiet period. */
export type UsageVerdict =
  { readonly quiet: true } | { readonly quiet: false; readonly reason: string };

/** What a step may do besides its own work: persist intent, mark crash points, audit sub-actions. */
export interface StepContext {
  readonly now: Date;
  readonly state: RotationState;
  readonly rotation: RotationRecord;
  /**
   * Persists a change to the rotation record at once (compare-and-swap), so that what follows is
   * known to have been intended if the process stops: e.g. "a key is about to be issued".
   */
  save(patch: Partial<RotationRecord>): Promise<void>;
  /** A named point inside a step; tests stop the process here to prove the step resumes. */
  checkpoint(name: string): Promise<void>;
  /** Emits a `RotationStep` event for a sub-action (e.g. revoking an orphaned key). */
  audit(step: string, outcome: Outcome | 'skipped', keyId?: string, reason?: string): void;
}

/**
 * One managed credential: how its keys are read, obtained, tested, published and deactivated.
 * The engine owns order, persistence, retries and alerts; a driver owns the I/O. Every method must
 * be safe to run again after a crash at any point inside it.
 */
export interface CredentialDriver {
  /** The credential's name in state and events, e.g. `signing-api-key`. */
  readonly credential: string;
  readonly policy: RotationPolicy;
  /** `automatic`: the driver obtains keys itself; `operator`: a person stages them. */
  readonly issuance: 'automatic' | 'operator';
  /** One line for status: where the keys live. */
  readonly description: string;

  inventory(now: Date): Promise<KeyInventory>;
  /** Operator issuance: the staged key waiting to be adopted, skipping `excludeKeyIds`. */
  findStaged(now: Date, excludeKeyIds: readonly string[]): Promise<CandidateRecord | undefined>;
  /** Automatic issuance: a new key, stored where `test` and `publish` find it. */
  obtain(context: StepContext): Promise<CandidateRecord>;
  /** Uses the candidate for real. Throws for failures that may pass (service down, slow). */
  test(context: StepContext, candidate: CandidateRecord): Promise<TestVerdict>;
  /** Drops a candidate that failed or was aborted: never published, revoked where possible. */
  discard(context: StepContext, candidate: CandidateRecord): Promise<void>;
  /** Makes the candidate the preferred key. Returns the secret version it now lives in. */
  publish(context: StepContext, candidate: CandidateRecord): Promise<string | undefined>;
  /** Asks consumers that cache the secret (Key Vault references) to read it again. */
  refresh(context: StepContext): Promise<void>;
  /** Evidence that the previous keys are no longer used since `since`. */
  usage(context: StepContext, previous: readonly KeyRecord[], since: Date): Promise<UsageVerdict>;
  /** Disables one previous key where it is stored and revokes it where possible. */
  deactivate(context: StepContext, key: KeyRecord): Promise<void>;
}
