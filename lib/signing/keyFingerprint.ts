import { createHash } from 'node:crypto';

import { decodeApiKey } from './decodeApiKey.js';

/**
 * A safe identifier for an API key, for logs, telemetry and Key Vault tags: `sha256:` and the first
 * 16 hex digits of the SHA-256 of the key bytes. It names a key without revealing it, and the same
 * key gives the same fingerprint whatever the case of its hex. `keyId` only names the key in the
 * error thrown when `apiKeyHex` is not hex.
 */
export function keyFingerprint(apiKeyHex: string, keyId = 'unknown'): string {
  const digest = createHash('sha256').update(decodeApiKey(apiKeyHex, keyId)).digest('hex');
  return `sha256:${digest.slice(0, 16)}`;
}
