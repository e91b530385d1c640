import { ConfigurationError } from '../config/ConfigurationError.js';
import { loadKeyVaultSettings, type KeyVaultSettings } from '../credentials/KeyVaultSettings.js';
import { KeyVaultSigningCredentials } from '../credentials/KeyVaultSigningCredentials.js';
import type { SigningCredentialProvider } from '../signing/SigningCredential.js';
import { staticCredentials } from '../signing/staticCredentials.js';
import { createSecretClient } from './createSecretClient.js';
import { KeyVaultSecretStore } from './KeyVaultSecretStore.js';

/** Options of {@link createSigningCredentials}. */
export interface CreateSigningCredentialsOptions {
  /** @default () => new Date() */
  readonly clock?: () => Date;
  /** Told about unusable secret versions and stale reads (key IDs only). */
  readonly onProblem?: (message: string) => void;
}

/**
 * Where the function's signing keys come from: Key Vault when `KEY_VAULT_URL` is set (every valid
 * version of the signing-key secret), otherwise the static `TS_API_KEY_ID` / `TS_API_KEY`. Throws
 * {@link ConfigurationError} when neither is configured.
 */
export function createSigningCredentials(
  env: NodeJS.ProcessEnv,
  staticKey: { readonly keyId: string; readonly apiKeyHex: string } | undefined,
  options: CreateSigningCredentialsOptions = {},
): SigningCredentialProvider {
  const keyVault: KeyVaultSettings | undefined = loadKeyVaultSettings(env);
  if (keyVault !== undefined) {
    return new KeyVaultSigningCredentials({
      store: new KeyVaultSecretStore(createSecretClient(keyVault)),
      secretName: keyVault.secretName,
      cacheTtlMs: keyVault.cacheTtlMs,
      ...options,
    });
  }
  if (staticKey === undefined) {
    throw new ConfigurationError(
      'KEY_VAULT_URL',
      'missing, and so is TS_API_KEY_ID, so there is no signing key',
    );
  }
  return staticCredentials(staticKey.keyId, staticKey.apiKeyHex);
}
