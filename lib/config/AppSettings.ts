import { ConfigurationError } from './ConfigurationError.js';
import { loadStorageSettings, type StorageSettings } from './StorageSettings.js';

/** The SubFilters a seal may carry. */
export const subFilters = ['adbe.pkcs7.detached', 'ETSI.CAdES.detached'] as const;
export type SubFilter = (typeof subFilters)[number];

/**
 * The app's settings, read once from the environment (app settings on Azure, `local.settings.json`
 * `Values` locally). Values that are secrets are kept only where they are used.
 */
export interface AppSettings {
  /** `TS_API_URL`. @default 'https://api.trusted-signatures.com' */
  readonly signingApiUrl: string;
  /** `TS_API_KEY_ID` and `TS_API_KEY` (hex; a Key Vault reference on Azure), when set. */
  readonly staticSigningKey?: { readonly keyId: string; readonly apiKeyHex: string };
  /** `SEAL_MAX_PDF_BYTES`: largest PDF direct mode accepts. @default 52428800 (50 MiB) */
  readonly maxPdfBytes: number;
  /** `SEAL_SUBFILTER`. @default 'adbe.pkcs7.detached' */
  readonly subFilter: SubFilter;
  /** `TS_TIMEOUT_MS`: per signing attempt. @default 20000 */
  readonly signingTimeoutMs: number;
  /** Where telemetry goes: Application Insights, the local log, or nowhere. */
  readonly telemetry:
    | { readonly kind: 'azure'; readonly connectionString: string }
    | { readonly kind: 'local'; readonly directory: string }
    | { readonly kind: 'none' };
  /** `WEBSITE_SITE_NAME` on Azure. @default 'sealops' */
  readonly appName: string;
  /** Storage mode and the drop folder: account, container allowlist, copy mode. */
  readonly storage: StorageSettings;
}

/** Reads and checks the settings; throws {@link ConfigurationError} naming the first bad one. */
export function loadAppSettings(env: NodeJS.ProcessEnv = process.env): AppSettings {
  const keyId = env.TS_API_KEY_ID?.trim();
  const apiKeyHex = env.TS_API_KEY?.trim();
  // App Service hands the app the literal reference when it cannot resolve it: never sign with it.
  if (apiKeyHex?.startsWith('@Microsoft.KeyVault(')) {
    throw new ConfigurationError(
      'TS_API_KEY',
      "an unresolved Key Vault reference (check the reference's status and the app's identity)",
    );
  }
  if (Boolean(keyId) !== Boolean(apiKeyHex)) {
    throw new ConfigurationError(keyId ? 'TS_API_KEY' : 'TS_API_KEY_ID', 'missing (set both)');
  }
  const subFilter = env.SEAL_SUBFILTER ?? 'adbe.pkcs7.detached';
  if (!subFilters.includes(subFilter as SubFilter)) {
    throw new ConfigurationError('SEAL_SUBFILTER', `not one of ${subFilters.join(', ')}`);
  }
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING;
  const localDirectory = env.SEALOPS_TELEMETRY_DIR;
  return {
    signingApiUrl: httpUrl(env, 'TS_API_URL', 'https://api.trusted-signatures.com'),
    ...(keyId && apiKeyHex ? { staticSigningKey: { keyId, apiKeyHex } } : {}),
    maxPdfBytes: positiveInteger(env, 'SEAL_MAX_PDF_BYTES', 50 * 1024 * 1024),
    subFilter: subFilter as SubFilter,
    signingTimeoutMs: positiveInteger(env, 'TS_TIMEOUT_MS', 20_000),
    telemetry: connectionString
      ? { kind: 'azure', connectionString }
      : localDirectory
        ? { kind: 'local', directory: localDirectory }
        : { kind: 'none' },
    appName: env.WEBSITE_SITE_NAME ?? 'sealops',
    storage: loadStorageSettings(env),
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigurationError(name, 'not a positive whole number');
  }
  return value;
}

function httpUrl(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  if (!/^https?:\/\/[^\s]+$/.test(raw)) throw new ConfigurationError(name, 'not an http(s) URL');
  return raw.replace(/\/+$/, '');
}
