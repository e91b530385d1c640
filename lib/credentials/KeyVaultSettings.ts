import { ConfigurationError } from '../config/ConfigurationError.js';
import { defaultSigningKeySecretName, signingKeySecretNameSetting } from './signingKeySecret.js';

/**
 * Where the function and the rotation engine find Key Vault, read from app settings. Absent
 * (`undefined`) when `KEY_VAULT_URL` is not set: the function then uses `TS_API_KEY_ID` /
 * `TS_API_KEY` as a static key.
 */
export interface KeyVaultSettings {
  /** `KEY_VAULT_URL`, for example `https://sealops-kv.vault.azure.net`. */
  readonly vaultUrl: string;
  /** `TS_API_KEY_SECRET_NAME`. @default 'trusted-signatures-api-key' */
  readonly secretName: string;
  /** `KEY_VAULT_CA_FILE`: a PEM CA to trust for this vault only (the local vault's CA). */
  readonly caFile?: string;
  /** `KEY_VAULT_LOCAL=true`: present the local vault's fixed token instead of an Entra ID one. */
  readonly localCredential: boolean;
  /** `KEY_VAULT_CACHE_SECONDS`: how long the function reuses the list of valid keys. @default 300 */
  readonly cacheTtlMs: number;
}

const secretNamePattern = /^[0-9a-zA-Z-]{1,127}$/;

/** Reads the Key Vault settings; throws {@link ConfigurationError} naming the first bad one. */
export function loadKeyVaultSettings(
  env: NodeJS.ProcessEnv = process.env,
): KeyVaultSettings | undefined {
  const vaultUrl = env.KEY_VAULT_URL?.trim();
  if (!vaultUrl) return undefined;
  const localCredential = env.KEY_VAULT_LOCAL === 'true';
  let url: URL;
  try {
    url = new URL(vaultUrl);
  } catch {
    throw new ConfigurationError('KEY_VAULT_URL', 'not a URL');
  }
  if (url.protocol !== 'https:') {
    throw new ConfigurationError('KEY_VAULT_URL', 'not an https URL (Key Vault speaks HTTPS only)');
  }
  const secretName = env[signingKeySecretNameSetting]?.trim() || defaultSigningKeySecretName;
  if (!secretNamePattern.test(secretName)) {
    throw new ConfigurationError(
      signingKeySecretNameSetting,
      'not a Key Vault secret name (letters, digits and dashes)',
    );
  }
  const cacheSeconds = Number(env.KEY_VAULT_CACHE_SECONDS ?? '300');
  if (!Number.isSafeInteger(cacheSeconds) || cacheSeconds < 0) {
    throw new ConfigurationError('KEY_VAULT_CACHE_SECONDS', 'not a whole number of seconds');
  }
  const caFile = env.KEY_VAULT_CA_FILE?.trim();
  return {
    vaultUrl: url.origin,
    secretName,
    ...(caFile ? { caFile } : {}),
    localCredential,
    cacheTtlMs: cacheSeconds * 1000,
  };
}
