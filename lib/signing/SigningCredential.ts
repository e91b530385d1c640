/**
 * One signing API key. `apiKeyHex` is a secret: pass it to `authorizationHeaders` and nowhere else;
 * log `keyId` and `fingerprint` instead.
 */
export interface SigningCredential {
  /** The API key ID (a UUID assigned by the signing service). */
  readonly keyId: string;
  /** The API key, hex. */
  readonly apiKeyHex: string;
  /** `keyFingerprint(apiKeyHex)`: safe to log. */
  readonly fingerprint: string;
  /** Where the key came from, for example `settings` or `keyvault`. */
  readonly source?: string;
  /** The Key Vault secret version, when the key came from Key Vault. */
  readonly secretVersion?: string;
}

/**
 * Which keys may sign now. `current()` returns every currently valid key, the preferred one first;
 * during a rotation window that is two keys, and a refused first key is retried once with the next.
 */
export interface SigningCredentialProvider {
  current(): Promise<readonly SigningCredential[]>;
}
