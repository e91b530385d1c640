/**
 * Revokes a signing API key at the signing service itself, where the provider offers an API for it
 * (the local signing service does; Trusted Signatures documents none, so on Azure this is a manual
 * step in the provider's portal).
 */
export interface SigningKeyRevoker {
  /** True when the provider reports the key revoked; false when it is live; undefined when unknown. */
  isRevoked(keyId: string): Promise<boolean | undefined>;
  /** Revokes the key. Revoking a revoked key is harmless. */
  revoke(keyId: string): Promise<void>;
}
