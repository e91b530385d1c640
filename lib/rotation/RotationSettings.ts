import { ConfigurationError } from '../config/ConfigurationError.js';
import { readAzureAppIdentity, type AzureAppIdentity } from '../config/readAzureAppIdentity.js';
import { readWebJobsStorage, type WebJobsStorage } from '../config/readWebJobsStorage.js';
import { defaultRotationPolicy, type RotationPolicy } from './RotationPolicy.js';

const hour = 60 * 60 * 1000;
const day = 24 * hour;
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The rotation engine's settings, read apart from the seal function's so that a mistake here
 * never stops sealing. Every duration has a documented default.
 */
export interface RotationSettings {
  /** Policy of the signing key: `ROTATION_LEAD_DAYS` (30), `ROTATION_OVERLAP_HOURS` (168), `ROTATION_QUIET_HOURS` (24), `ROTATION_ESCALATION_DAYS` ("30,14,7,1"), `ROTATION_MAX_ATTEMPTS` (5). */
  readonly signingPolicy: RotationPolicy;
  /** `TS_API_KEY_PENDING_SECRET_NAME`. @default '<signing-key secret>-pending' */
  readonly pendingSecretName?: string;
  /** `TS_KEY_PROVIDER_URL` + `TS_KEY_PROVIDER_TOKEN`: the provider's key API; absent on Azure. */
  readonly provider?: { readonly url: string; readonly token: string };
  /** `TS_KEY_LIFETIME_DAYS` (1–365): lifetime asked of the provider. @default the provider's */
  readonly keyLifetimeMs?: number;
  /** `TS_TRUSTED_ROOTS_FILE`: PEM roots a test signature must chain to. @default not checked */
  readonly trustedRootsFile?: string;
  /** `FUNCTION_KEY_ROTATION`: comma-separated functions whose caller keys rotate. @default 'seal-pdf' */
  readonly functionKeyFunctions: readonly string[];
  /** `FUNCTION_KEY_LIFETIME_DAYS` (90), `FUNCTION_KEY_LEAD_DAYS` (14), `FUNCTION_KEY_OVERLAP_HOURS` (168). */
  readonly functionKeyPolicy: RotationPolicy;
  readonly functionKeyLifetimeMs: number;
  /** `AzureWebJobsStorage` (or its identity-based `__blobServiceUri` / `__accountName` forms). */
  readonly storage?: WebJobsStorage;
  /** `ROTATION_STATE_CONTAINER`. @default 'sealops-rotation' */
  readonly stateContainer: string;
  /** The app on Azure, from `WEBSITE_OWNER_NAME`, `WEBSITE_RESOURCE_GROUP`, `WEBSITE_SITE_NAME`. */
  readonly azureApp?: AzureAppIdentity;
  /** `WEBSITE_HOSTNAME` on Azure: function keys are probed at `https://<host>/api/...`. */
  readonly appBaseUrl?: string;
  /** `SEALOPS_LOG_WORKSPACE_ID`: where `ApiKeyUsed` events are queried on Azure. */
  readonly logWorkspaceId?: string;
  /** `SEALOPS_TELEMETRY_DIR`: the local log, queried on the local stack. */
  readonly localLogDirectory?: string;
  /** `LOCAL_HOST_URL` + `LOCAL_HOST_MASTER_KEY`: the local host's admin surface (local stack). */
  readonly localHost?: { readonly url: string; readonly masterKey: string };
}

/** Reads the rotation settings; throws {@link ConfigurationError} naming the first bad one. */
export function loadRotationSettings(env: NodeJS.ProcessEnv = process.env): RotationSettings {
  const signingPolicy: RotationPolicy = {
    ...defaultRotationPolicy,
    leadMs: duration(env, 'ROTATION_LEAD_DAYS', day, defaultRotationPolicy.leadMs),
    overlapMs: duration(env, 'ROTATION_OVERLAP_HOURS', hour, defaultRotationPolicy.overlapMs),
    quietMs: duration(env, 'ROTATION_QUIET_HOURS', hour, defaultRotationPolicy.quietMs),
    escalationDays: escalationDays(env),
    maxAttempts: duration(env, 'ROTATION_MAX_ATTEMPTS', 1, defaultRotationPolicy.maxAttempts),
  };
  const functionKeyPolicy: RotationPolicy = {
    ...signingPolicy,
    leadMs: duration(env, 'FUNCTION_KEY_LEAD_DAYS', day, 14 * day),
    overlapMs: duration(env, 'FUNCTION_KEY_OVERLAP_HOURS', hour, 7 * day),
    escalationDays: [],
  };
  const providerUrl = env.TS_KEY_PROVIDER_URL?.trim();
  const providerToken = env.TS_KEY_PROVIDER_TOKEN?.trim();
  if (Boolean(providerUrl) !== Boolean(providerToken)) {
    throw new ConfigurationError(
      providerUrl ? 'TS_KEY_PROVIDER_TOKEN' : 'TS_KEY_PROVIDER_URL',
      'missing (set both, or neither for operator-staged keys)',
    );
  }
  if (providerUrl && !/^https?:\/\/\S+$/.test(providerUrl)) {
    throw new ConfigurationError('TS_KEY_PROVIDER_URL', 'not an http(s) URL');
  }
  const keyLifetimeDays = env.TS_KEY_LIFETIME_DAYS?.trim();
  if (
    keyLifetimeDays &&
    !(
      Number.isInteger(Number(keyLifetimeDays)) &&
      Number(keyLifetimeDays) >= 1 &&
      Number(keyLifetimeDays) <= 365
    )
  ) {
    throw new ConfigurationError(
      'TS_KEY_LIFETIME_DAYS',
      'not a whole number of days from 1 to 365',
    );
  }
  const functions = (env.FUNCTION_KEY_ROTATION ?? 'seal-pdf')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (!functions.every((name) => /^[A-Za-z][A-Za-z0-9_-]{0,127}$/.test(name))) {
    throw new ConfigurationError(
      'FUNCTION_KEY_ROTATION',
      'not a comma-separated list of function names',
    );
  }
  const logWorkspaceId = env.SEALOPS_LOG_WORKSPACE_ID?.trim();
  if (logWorkspaceId && !guid.test(logWorkspaceId)) {
    throw new ConfigurationError('SEALOPS_LOG_WORKSPACE_ID', 'not a workspace ID (a GUID)');
  }
  const storage = readWebJobsStorage(env);
  const azureApp = readAzureAppIdentity(env);
  const hostName = env.WEBSITE_HOSTNAME?.trim();
  const localHostUrl = env.LOCAL_HOST_URL?.trim();
  const localMasterKey = env.LOCAL_HOST_MASTER_KEY?.trim();
  const pendingSecretName = env.TS_API_KEY_PENDING_SECRET_NAME?.trim();
  const trustedRootsFile = env.TS_TRUSTED_ROOTS_FILE?.trim();
  const localLogDirectory = env.SEALOPS_TELEMETRY_DIR?.trim();
  return {
    signingPolicy,
    ...(pendingSecretName ? { pendingSecretName } : {}),
    ...(providerUrl && providerToken
      ? { provider: { url: providerUrl, token: providerToken } }
      : {}),
    ...(keyLifetimeDays ? { keyLifetimeMs: Number(keyLifetimeDays) * day } : {}),
    ...(trustedRootsFile ? { trustedRootsFile } : {}),
    functionKeyFunctions: functions,
    functionKeyPolicy,
    functionKeyLifetimeMs: duration(env, 'FUNCTION_KEY_LIFETIME_DAYS', day, 90 * day),
    ...(storage ? { storage } : {}),
    stateContainer: env.ROTATION_STATE_CONTAINER?.trim() || 'sealops-rotation',
    ...(azureApp ? { azureApp } : {}),
    ...(hostName ? { appBaseUrl: `https://${hostName}/api` } : {}),
    ...(logWorkspaceId ? { logWorkspaceId } : {}),
    ...(localLogDirectory ? { localLogDirectory } : {}),
    ...(localHostUrl && localMasterKey
      ? { localHost: { url: localHostUrl, masterKey: localMasterKey } }
      : {}),
  };
}

function duration(env: NodeJS.ProcessEnv, name: string, unitMs: number, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError(name, 'not a positive number');
  }
  return value * unitMs;
}

function escalationDays(env: NodeJS.ProcessEnv): readonly number[] {
  const raw = env.ROTATION_ESCALATION_DAYS?.trim();
  if (!raw) return defaultRotationPolicy.escalationDays;
  const days = raw.split(',').map((entry) => Number(entry.trim()));
  if (!days.every((value) => Number.isFinite(value) && value > 0)) {
    throw new ConfigurationError('ROTATION_ESCALATION_DAYS', 'not a comma-separated list of days');
  }
  return days.sort((a, b) => b - a);
}
