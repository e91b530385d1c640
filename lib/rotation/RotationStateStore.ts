import type { RotationState } from './RotationState.js';

/** A state record and the ETag it was read with (undefined: never written). */
export interface StoredRotationState {
  readonly state: RotationState;
  readonly etag: string | undefined;
}

/**
 * One credential's record held under its lease: the only way to change it. The lease keeps two
 * runs (two timer instances, a timer and an operator command) from rotating the same credential.
 */
export interface LeasedRotationState {
  read(): Promise<StoredRotationState>;
  /**
   * Writes `state` if the record still has `etag`; returns the new ETag. Throws
   * `RotationStateConflictError` when it changed, `RotationLeaseLostError` when the lease is gone.
   */
  write(state: RotationState, etag: string | undefined): Promise<string>;
  /** Extends the lease; throws `RotationLeaseLostError` when another run took it. */
  renew(): Promise<void>;
  /** Gives the lease up. Never throws: an expired lease is as good as released. */
  release(): Promise<void>;
}

/**
 * Where rotation state lives: Blob Storage (`AzureWebJobsStorage`, Azurite locally), one blob per
 * credential, ETag compare-and-swap on every write and a blob lease for mutual exclusion.
 */
export interface RotationStateStore {
  /** Reads a credential's record without the lease: for status, plan and the "is it due" check. */
  read(credential: string): Promise<StoredRotationState>;
  /**
   * Takes the credential's lease for `durationSeconds` (15–60, renewable). Resolves `undefined`
   * when another run holds it.
   */
  acquire(credential: string, durationSeconds: number): Promise<LeasedRotationState | undefined>;
}
