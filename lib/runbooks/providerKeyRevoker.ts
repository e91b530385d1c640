import type { ProviderKeyApi } from '../rotation/signing-key/ProviderKeyApi.js';
import type { SigningKeyRevoker } from './SigningKeyRevoker.js';

/**
 * {@link SigningKeyRevoker} over the provider's key-management API, where one is configured
 * (`TS_KEY_PROVIDER_URL`; the local signing service offers it).
 */
export function providerKeyRevoker(api: ProviderKeyApi): SigningKeyRevoker {
  return {
    isRevoked: async (keyId) => (await api.list()).find((key) => key.keyId === keyId)?.revoked,
    revoke: async (keyId) => {
      await api.revoke(keyId);
    },
  };
}
