import { keyFingerprint } from './keyFingerprint.js';
import type { SigningCredential, SigningCredentialProvider } from './SigningCredential.js';

/**
 * A provider that always returns the one key from settings (`TS_API_KEY_ID`, `TS_API_KEY`). The key
 * format is checked here, once, so a malformed setting fails at start-up rather than on the first
 * seal. Throws `InvalidApiKeyFormatError`.
 */
export function staticCredentials(keyId: string, apiKeyHex: string): SigningCredentialProvider {
  const credential: SigningCredential = {
    keyId,
    apiKeyHex,
    fingerprint: keyFingerprint(apiKeyHex, keyId),
    source: 'settings',
  };
  const credentials = [credential] as const;
  return { current: () => Promise.resolve(credentials) };
}
