import { join } from 'node:path';

import { createSecretClient } from '../../lib/azure/createSecretClient.js';
import { KeyVaultSecretStore } from '../../lib/azure/KeyVaultSecretStore.js';
import {
  signingKeyContentType,
  signingKeyVersionTags,
} from '../../lib/credentials/signingKeySecret.js';
import { startLocalKeyVault, type LocalKeyVault } from '../keyvault/startLocalKeyVault.js';
import { ensureLocalTls } from '../tls/ensureLocalTls.js';

/** The local stack's Key Vault, and the settings that point the app and `sealops keys` at it. */
export interface StackKeyVault {
  readonly vault: LocalKeyVault;
  /** The local CA the vault's certificate chains to (`KEY_VAULT_CA_FILE`). */
  readonly caFile: string;
  /** `KEY_VAULT_URL`, `KEY_VAULT_CA_FILE`, `KEY_VAULT_LOCAL`. */
  readonly settings: Readonly<Record<string, string>>;
}

/** Options of {@link startStackKeyVault}. */
export interface StackKeyVaultOptions {
  readonly stateDir: string;
  /** The signing-key secret (`TS_API_KEY_SECRET_NAME`). */
  readonly secretName: string;
  /** Written as the first version when the secret has none: the app's first signing key. */
  readonly seedKey: {
    readonly keyId: string;
    readonly apiKeyHex: string;
    readonly expiresOn?: Date;
  };
}

/**
 * Starts the local Key Vault on `<stateDir>/keyvault` (HTTPS with the local CA in
 * `<stateDir>/tls`) and seeds the signing-key secret with the app's key on first start, laid out
 * as a rotation would write it, so that the function reads its key from the vault and the
 * rotation engine has a key to rotate.
 */
export async function startStackKeyVault(options: StackKeyVaultOptions): Promise<StackKeyVault> {
  const tls = await ensureLocalTls(join(options.stateDir, 'tls'));
  const vault = await startLocalKeyVault({ stateDir: join(options.stateDir, 'keyvault'), tls });
  try {
    const settings = {
      KEY_VAULT_URL: vault.url,
      KEY_VAULT_CA_FILE: tls.caPath,
      KEY_VAULT_LOCAL: 'true',
    };
    const store = new KeyVaultSecretStore(
      createSecretClient({
        vaultUrl: vault.url,
        secretName: options.secretName,
        caFile: tls.caPath,
        localCredential: true,
        cacheTtlMs: 0,
      }),
    );
    if ((await store.listVersions(options.secretName)).length === 0) {
      const { keyId, apiKeyHex, expiresOn } = options.seedKey;
      await store.setSecret(options.secretName, apiKeyHex, {
        tags: signingKeyVersionTags(keyId, apiKeyHex, { issuedBy: 'seed' }),
        ...(expiresOn ? { expiresOn } : {}),
        contentType: signingKeyContentType,
      });
    }
    return { vault, caFile: tls.caPath, settings };
  } catch (error) {
    await vault.close();
    throw error;
  }
}
