/** One Key Vault reference in the app's settings, as App Service resolved it. */
export interface ResolvedReference {
  /** The app setting holding the reference, e.g. `TS_API_KEY`. */
  readonly setting: string;
  readonly secretName: string;
  /** `Resolved` when the platform holds a value; anything else is a failure to resolve. */
  readonly status: string;
  /** The secret version the app really uses. */
  readonly activeVersion?: string;
}

/**
 * The secret versions App Service resolved for Key Vault references (ARM
 * `listAppSettingsKeyVaultReferences`): evidence, on Azure, that no app setting still holds an
 * old key. Absent on the local stack, which has no references.
 */
export interface ReferenceVersionSource {
  list(): Promise<readonly ResolvedReference[]>;
}
