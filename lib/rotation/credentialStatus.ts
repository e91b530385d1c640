import type { CredentialDriver, KeyInventory } from './CredentialDriver.js';
import type { ActionDescription } from './describeAction.js';
import type {
  CandidateRecord,
  CompletedRotation,
  RejectedKey,
  RotationState,
  StepFailure,
} from './RotationState.js';

/** One key in a status report. */
export interface KeyStatus {
  readonly keyId: string;
  readonly fingerprint: string;
  readonly expiresOn?: string;
  readonly secretVersion?: string;
  /**
   * `preferred`: signs now; `retiring`: still valid, to be deactivated after the overlap;
   * `valid`: valid outside a rotation (unexpected beside a preferred key); `candidate`: obtained
   * or staged, not yet published (not used by anything).
   */
  readonly state: 'preferred' | 'retiring' | 'valid' | 'candidate';
}

/** What `sealops keys status` shows per credential. */
export interface CredentialStatus {
  readonly credential: string;
  readonly description: string;
  readonly issuance: 'automatic' | 'operator';
  readonly phase: RotationState['phase'];
  readonly rotationId?: string;
  readonly keys: readonly KeyStatus[];
  readonly next: ActionDescription;
  /** Candidates of the rotation in flight that failed their test, and why. */
  readonly rejected: readonly RejectedKey[];
  readonly failure?: StepFailure;
  readonly stopped?: RotationState['stopped'];
  readonly lastCompleted?: CompletedRotation;
}

export interface CredentialStatusInputs {
  readonly driver: CredentialDriver;
  readonly state: RotationState;
  readonly inventory: KeyInventory;
  readonly staged: CandidateRecord | undefined;
  readonly next: ActionDescription;
}

/** Builds a credential's status from its state, its valid keys and its next action. */
export function credentialStatus(inputs: CredentialStatusInputs): CredentialStatus {
  const { driver, state, inventory, staged, next } = inputs;
  const retiring = new Set(
    state.phase === 'idle' ? [] : (state.rotation?.previous ?? []).map(({ keyId }) => keyId),
  );
  const keys: KeyStatus[] = inventory.valid.map((key, index) => ({
    keyId: key.keyId,
    fingerprint: key.fingerprint,
    ...(key.expiresOn ? { expiresOn: key.expiresOn.toISOString() } : {}),
    ...(key.secretVersion ? { secretVersion: key.secretVersion } : {}),
    state: index === 0 ? 'preferred' : retiring.has(key.keyId) ? 'retiring' : 'valid',
  }));
  const candidate =
    state.rotation?.publishedAt === undefined ? (state.rotation?.candidate ?? staged) : undefined;
  if (candidate !== undefined) {
    keys.push({
      keyId: candidate.keyId,
      fingerprint: candidate.fingerprint,
      ...(candidate.expiresOn ? { expiresOn: candidate.expiresOn } : {}),
      state: 'candidate',
    });
  }
  const lastCompleted = state.completed.at(-1);
  return {
    credential: driver.credential,
    description: driver.description,
    issuance: driver.issuance,
    phase: state.phase,
    ...(state.rotation ? { rotationId: state.rotation.id } : {}),
    keys,
    next,
    rejected: state.rotation?.rejected ?? [],
    ...(state.failure ? { failure: state.failure } : {}),
    ...(state.stopped ? { stopped: state.stopped } : {}),
    ...(lastCompleted ? { lastCompleted } : {}),
  };
}
