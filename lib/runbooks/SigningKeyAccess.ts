import type { SecretStore } from '../credentials/SecretStore.js';
import type { EmergencyRotation } from './EmergencyRotation.js';
import type { SigningKeyRevoker } from './SigningKeyRevoker.js';

/** How a target reaches its signing keys: the vault, and what the provider and platform offer. */
export interface SigningKeyAccess {
  readonly store: SecretStore;
  /** The signing-key secret (`TS_API_KEY_SECRET_NAME`). */
  readonly secretName: string;
  /** Revocation at the signing service; absent where the provider has no API for it. */
  readonly revoker?: SigningKeyRevoker;
  /** Issues, tests and publishes a new key now; absent where no rotation engine is wired. */
  readonly rotation?: EmergencyRotation;
  /** True where the app reads the key through Key Vault references that need a refresh (Azure). */
  readonly refreshesReferences: boolean;
}
