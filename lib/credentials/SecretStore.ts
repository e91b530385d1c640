import type { SecretVersionProperties } from './signingKeySecret.js';

/** What a new secret version carries besides its value. */
export interface SecretWriteOptions {
  readonly tags: Readonly<Record<string, string>>;
  /** The version's `exp`. */
  readonly expiresOn?: Date;
  readonly contentType?: string;
}

/**
 * The secret operations credentials and rotation need, over Key Vault on Azure and the local vault
 * on the local stack (the same `SecretClient` both ways: `lib/azure/KeyVaultSecretStore`). Every
 * method throws `SecretStoreError` when the vault refuses or cannot be reached.
 */
export interface SecretStore {
  /** Properties of every version of `name`, values left out; empty when there is no such secret. */
  listVersions(name: string): Promise<SecretVersionProperties[]>;
  /** The value of one version. Key Vault refuses a disabled version. */
  getValue(name: string, version: string): Promise<string>;
  /** Writes `value` as a new version, which becomes the latest. Returns its properties. */
  setSecret(
    name: string,
    value: string,
    options: SecretWriteOptions,
  ): Promise<SecretVersionProperties>;
  /** Enables or disables one version; its value and tags stay. Repeating it is harmless. */
  setVersionEnabled(name: string, version: string, enabled: boolean): Promise<void>;
}
