/** How often a key was used in a window, by the app's own `ApiKeyUsed` events. */
export interface KeyUsage {
  readonly uses: number;
  readonly lastUsedAt?: Date;
}

/**
 * Evidence of key use: Log Analytics on Azure, the local telemetry log on the local stack. Throws
 * `KeyUsageUnavailableError` when the evidence cannot be read in full: a partial answer is no
 * proof that a key went unused.
 */
export interface KeyUsageSource {
  usage(keyId: string, since: Date, until: Date): Promise<KeyUsage>;
}
