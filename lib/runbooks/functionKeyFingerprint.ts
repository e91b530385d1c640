import { randomBytes } from 'node:crypto';

// Audit records and reports name a key by the same fingerprint the rotation's secrets carry.
export { functionKeyFingerprint } from '../credentials/functionKeySecret.js';

/**
 * A new function key value in the format the Functions host makes: 40 URL-safe base64 characters
 * from a CSPRNG. Made here rather than by the platform so that its fingerprint can be recorded
 * before the key is set.
 */
export function newFunctionKeyValue(): string {
  return randomBytes(30).toString('base64url');
}
