/**
 * An immediate rotation of the signing key, outside the schedule: obtain a new key, test it with a
 * real signing call, publish it to Key Vault. Implemented over the rotation engine (`lib/rotation`).
 * Idempotent per `rotationId`: a repeated call for the same ID finishes or reports the same rotation.
 */
export interface EmergencyRotation {
  rotateNow(request: { rotationId: string; reason: string }): Promise<{ keyId: string }>;
}
