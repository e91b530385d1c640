import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createSigningCredentials } from '../../../lib/azure/createSigningCredentials.js';
import { loadAppSettings } from '../../../lib/config/AppSettings.js';
import { loadKeyVaultSettings } from '../../../lib/credentials/KeyVaultSettings.js';

describe('where the function finds its signing keys', () => {
  test('without KEY_VAULT_URL the static TS_API_KEY setup keeps working', async () => {
    const provider = createSigningCredentials({}, { keyId: 'key-1', apiKeyHex: 'ab'.repeat(16) });
    const [credential] = await provider.current();
    assert.equal(credential?.keyId, 'key-1');
    assert.equal(credential?.source, 'settings');
  });

  test('with neither a vault nor a static key, the setting to fix is named', () => {
    assert.throws(() => createSigningCredentials({}, undefined), {
      code: 'CONFIGURATION_ERROR',
      message:
        'The app setting KEY_VAULT_URL is missing, and so is TS_API_KEY_ID, so there is no signing key; an operator must fix the configuration.',
    });
  });

  test('the Key Vault settings default to the vendor secret name and a five-minute cache', () => {
    assert.deepEqual(
      loadKeyVaultSettings({ KEY_VAULT_URL: 'https://sealops-kv.vault.azure.net/' }),
      {
        vaultUrl: 'https://sealops-kv.vault.azure.net',
        secretName: 'trusted-signatures-api-key',
        localCredential: false,
        cacheTtlMs: 300_000,
      },
    );
    assert.throws(() => loadKeyVaultSettings({ KEY_VAULT_URL: 'http://vault' }), {
      message:
        'The app setting KEY_VAULT_URL is not an https URL (Key Vault speaks HTTPS only); an operator must fix the configuration.',
    });
  });

  test('an unresolved Key Vault reference in TS_API_KEY is never used as a key', () => {
    assert.throws(
      () =>
        loadAppSettings({
          TS_API_KEY_ID: 'key-1',
          TS_API_KEY:
            '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/trusted-signatures-api-key)',
        }),
      {
        message:
          "The app setting TS_API_KEY is an unresolved Key Vault reference (check the reference's status and the app's identity); an operator must fix the configuration.",
      },
    );
  });
});
