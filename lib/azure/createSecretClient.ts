import { readFileSync } from 'node:fs';

import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';

import { localVaultCredential } from '../../local/keyvault/localVaultCredential.js';
import { ConfigurationError } from '../config/ConfigurationError.js';
import type { KeyVaultSettings } from '../credentials/KeyVaultSettings.js';

/**
 * The wire api-version, pinned so that an SDK upgrade cannot silently change the contract the
 * app was tested against (the SDK's own default moves with each release).
 */
export const keyVaultServiceVersion: NonNullable<SecretClientOptions['serviceVersion']> = '7.6';

/**
 * A `SecretClient` for the configured vault: `DefaultAzureCredential` (the app's managed identity
 * on Azure, the developer's login elsewhere), or the local vault's fixed token and CA when the
 * settings name them. Throws {@link ConfigurationError} when `KEY_VAULT_CA_FILE` cannot be read.
 */
export function createSecretClient(
  settings: KeyVaultSettings,
  credential: TokenCredential = settings.localCredential
    ? localVaultCredential()
    : new DefaultAzureCredential(),
): SecretClient {
  const options: SecretClientOptions = { serviceVersion: keyVaultServiceVersion };
  if (settings.caFile !== undefined) {
    let ca: string;
    try {
      ca = readFileSync(settings.caFile, 'utf8');
    } catch {
      throw new ConfigurationError('KEY_VAULT_CA_FILE', 'not a readable PEM file');
    }
    // Only a private vault (the local one) has its own CA, and its host is not *.vault.azure.net.
    options.tlsOptions = { ca };
    options.disableChallengeResourceVerification = true;
  }
  return new SecretClient(settings.vaultUrl, credential, options);
}
