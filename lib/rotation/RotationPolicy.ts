const hour = 60 * 60 * 1000;
const day = 24 * hour;

/** When and how carefully one credential is rotated. Durations in milliseconds. */
export interface RotationPolicy {
  /** Start rotating this long before the current key expires. @default 30 days */
  readonly leadMs: number;
  /** Both keys stay valid at least this long after the new one is published. @default 7 days */
  readonly overlapMs: number;
  /**
   * After the overlap, the old key is deactivated only once it has gone unused this long (by the
   * app's own `ApiKeyUsed` events). @default 24 hours
   */
  readonly quietMs: number;
  /**
   * Days before expiry at which an operator is asked (again) to stage a key, when keys are issued
   * in the vendor's portal. @default [30, 14, 7, 1]
   */
  readonly escalationDays: readonly number[];
  /** Consecutive failures of one step before automation stops for the credential. @default 5 */
  readonly maxAttempts: number;
  /** Wait after the first failure of a step; doubled after each further one. @default 15 minutes */
  readonly retryBaseMs: number;
  /** Longest wait between two attempts of a failing step. @default 6 hours */
  readonly retryMaxMs: number;
  /** Candidate keys that may fail their test in one rotation before automation stops. @default 3 */
  readonly maxRejections: number;
  /** How often a credential with nothing in flight is checked. @default 24 hours */
  readonly idleCheckMs: number;
  /** How often a rotation in flight is checked while it waits. @default 1 hour */
  readonly inFlightCheckMs: number;
}

/** The defaults, as documented on each field. */
export const defaultRotationPolicy: RotationPolicy = {
  leadMs: 30 * day,
  overlapMs: 7 * day,
  quietMs: 24 * hour,
  escalationDays: [30, 14, 7, 1],
  maxAttempts: 5,
  retryBaseMs: 15 * 60 * 1000,
  retryMaxMs: 6 * hour,
  maxRejections: 3,
  idleCheckMs: 24 * hour,
  inFlightCheckMs: hour,
};

/** The wait before attempt `attempts + 1` of a failing step: exponential, capped. */
export function retryDelay(policy: RotationPolicy, attempts: number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  return Math.min(policy.retryBaseMs * 2 ** exponent, policy.retryMaxMs);
}
