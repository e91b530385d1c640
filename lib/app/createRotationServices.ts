import { readFile } from 'node:fs/promises';

import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';

import { LocalHostAppControl } from '../../local/host/LocalHostAppControl.js';
import type { AppControl } from '../appcontrol/AppControl.js';
import { BlobRotationStateStore } from '../azure/BlobRotationStateStore.js';
import { createSecretClient } from '../azure/createSecretClient.js';
import { KeyVaultSecretStore } from '../azure/KeyVaultSecretStore.js';
import { ConfigurationError } from '../config/ConfigurationError.js';
import { loadKeyVaultSettings, type KeyVaultSettings } from '../credentials/KeyVaultSettings.js';
import type { SecretStore } from '../credentials/SecretStore.js';
import type { LogQuerySource } from '../detections/LogQuerySource.js';
import type { FetchLike } from '../signing/SigningApiClient.js';
import type { TelemetrySink } from '../telemetry/TelemetrySink.js';
import type { CredentialDriver } from '../rotation/CredentialDriver.js';
import { EngineEmergencyRotation } from '../rotation/EngineEmergencyRotation.js';
import { KeyUsageUnavailableError } from '../rotation/errors/KeyUsageUnavailableError.js';
import { FunctionKeyDriver } from '../rotation/function-keys/FunctionKeyDriver.js';
import type { KeyUsageSource } from '../rotation/KeyUsageSource.js';
import { LogQueryKeyUsage } from '../rotation/LogQueryKeyUsage.js';
import type { ReferenceVersionSource } from '../rotation/ReferenceVersionSource.js';
import { RotationEngine } from '../rotation/RotationEngine.js';
import { loadRotationSettings, type RotationSettings } from '../rotation/RotationSettings.js';
import type { RotationStateStore } from '../rotation/RotationStateStore.js';
import { ProviderKeyApi } from '../rotation/signing-key/ProviderKeyApi.js';
import { SigningKeyDriver } from '../rotation/signing-key/SigningKeyDriver.js';
import {
  stageSigningKey,
  type StagedKey,
  type StageRequest,
} from '../rotation/signing-key/stageSigningKey.js';
import { testSigningKey } from '../rotation/signing-key/testSigningKey.js';
import { createTelemetrySink } from './createAppServices.js';

/** What the rotation timer and `sealops keys` work with. */
export interface RotationServices {
  readonly settings: RotationSettings;
  readonly keyVault: KeyVaultSettings;
  readonly engine: RotationEngine;
  readonly secrets: SecretStore;
  readonly state: RotationStateStore;
  readonly telemetry: TelemetrySink;
  /** The pending secret new signing keys wait in. */
  readonly pendingSecretName: string;
  /** The incident runbooks' immediate rotation of the signing key. */
  readonly emergencyRotation: EngineEmergencyRotation;
  /** Why function keys are not rotated here, when they are not. */
  readonly functionKeysUnavailable?: string;
  /** Checks and stages an operator's key (`sealops keys stage`). */
  stage(request: StageRequest): Promise<StagedKey>;
}

/** What tests and replays replace. Everything else comes from the settings. */
export interface RotationServiceOverrides {
  /** The engine's clock. @default system time */
  readonly clock?: () => Date;
  /** The time signing requests carry (the signing service checks it). @default system time */
  readonly signingClock?: () => Date;
  readonly telemetry?: TelemetrySink;
  readonly checkpoint?: (name: string) => Promise<void>;
  readonly fetch?: FetchLike;
  /** The key-usage evidence, instead of the log query the settings choose. */
  readonly keyUsage?: KeyUsageSource;
  /** App control, instead of the one the settings choose. */
  readonly appControl?: AppControl;
  /** Signing-key test timeout per attempt. @default 20_000 */
  readonly testTimeoutMs?: number;
}

/**
 * The rotation engine's composition root: the signing key in Key Vault (`KEY_VAULT_URL`), the
 * function keys callers use where the app can be controlled, state in Blob Storage. Throws
 * `ConfigurationError` naming the first missing or bad setting.
 */
export async function createRotationServices(
  env: NodeJS.ProcessEnv = process.env,
  overrides: RotationServiceOverrides = {},
): Promise<RotationServices> {
  const keyVault = loadKeyVaultSettings(env);
  if (keyVault === undefined) {
    throw new ConfigurationError('KEY_VAULT_URL', 'missing, so there are no keys to rotate');
  }
  const settings = loadRotationSettings(env);
  if (settings.storage === undefined) {
    throw new ConfigurationError('AzureWebJobsStorage', 'missing, so rotation cannot keep state');
  }
  const telemetry = overrides.telemetry ?? createTelemetry(env);
  const secrets = new KeyVaultSecretStore(createSecretClient(keyVault));
  const state = createStateStore(settings);
  const pendingSecretName = settings.pendingSecretName ?? `${keyVault.secretName}-pending`;
  const appControl = overrides.appControl ?? (await createAppControl(settings));

  const trustedRoots = settings.trustedRootsFile
    ? [
        await readFile(settings.trustedRootsFile, 'utf8').catch(() => {
          throw new ConfigurationError('TS_TRUSTED_ROOTS_FILE', 'not a readable PEM file');
        }),
      ]
    : [];
  const signingApiUrl = (env.TS_API_URL?.trim() || 'https://api.trusted-signatures.com').replace(
    /\/+$/,
    '',
  );
  const signingDriver = new SigningKeyDriver({
    store: secrets,
    secretName: keyVault.secretName,
    pendingSecretName,
    policy: settings.signingPolicy,
    ...(settings.provider
      ? {
          provider: new ProviderKeyApi({
            baseUrl: settings.provider.url,
            adminToken: settings.provider.token,
            ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
          }),
        }
      : {}),
    ...(settings.keyLifetimeMs ? { keyLifetimeMs: settings.keyLifetimeMs } : {}),
    test: (credential) =>
      testSigningKey(credential, {
        signingApiUrl,
        trustedRoots,
        ...(overrides.signingClock ? { clock: overrides.signingClock } : {}),
        ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
        ...(overrides.testTimeoutMs ? { timeoutMs: overrides.testTimeoutMs } : {}),
      }),
    keyUsage: overrides.keyUsage ?? (await createKeyUsage(settings)),
    ...(appControl ? { appControl } : {}),
    ...(settings.azureApp ? { references: await createReferences(settings.azureApp) } : {}),
  });

  const drivers: CredentialDriver[] = [signingDriver];
  const probeBase =
    settings.appBaseUrl ?? (settings.localHost ? `${settings.localHost.url}/api` : undefined);
  if (appControl !== undefined) {
    for (const functionName of settings.functionKeyFunctions) {
      drivers.push(
        new FunctionKeyDriver({
          functionName,
          appControl,
          store: secrets,
          policy: settings.functionKeyPolicy,
          lifetimeMs: settings.functionKeyLifetimeMs,
          ...(probeBase ? { probe: probeWith(probeBase, functionName) } : {}),
        }),
      );
    }
  }

  const clock = overrides.clock ?? (() => new Date());
  const engine = new RotationEngine({
    drivers,
    store: state,
    telemetry,
    clock,
    ...(overrides.checkpoint ? { checkpoint: overrides.checkpoint } : {}),
  });
  return {
    settings,
    keyVault,
    engine,
    secrets,
    state,
    telemetry,
    pendingSecretName,
    emergencyRotation: new EngineEmergencyRotation(engine, state),
    ...(appControl === undefined && settings.functionKeyFunctions.length > 0
      ? {
          functionKeysUnavailable:
            'the app cannot be controlled from here (no WEBSITE_OWNER_NAME, WEBSITE_RESOURCE_GROUP ' +
            'and WEBSITE_SITE_NAME on Azure, no LOCAL_HOST_URL locally)',
        }
      : {}),
    stage: (request) =>
      stageSigningKey(request, {
        store: secrets,
        secretName: keyVault.secretName,
        pendingSecretName,
        policy: settings.signingPolicy,
        now: clock(),
      }),
  };
}

function createTelemetry(env: NodeJS.ProcessEnv): TelemetrySink {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim();
  const directory = env.SEALOPS_TELEMETRY_DIR?.trim();
  return createTelemetrySink({
    appName: env.WEBSITE_SITE_NAME ?? 'sealops',
    telemetry: connectionString
      ? { kind: 'azure', connectionString }
      : directory
        ? { kind: 'local', directory }
        : { kind: 'none' },
  });
}

function createStateStore(settings: RotationSettings): RotationStateStore {
  const storage = settings.storage;
  if (storage?.kind === 'connectionString') {
    return BlobRotationStateStore.fromConnectionString(
      storage.connectionString,
      settings.stateContainer,
    );
  }
  const service = new BlobServiceClient(
    storage?.blobServiceUrl ?? '',
    new DefaultAzureCredential(),
  );
  return new BlobRotationStateStore(service.getContainerClient(settings.stateContainer));
}

async function createAppControl(settings: RotationSettings): Promise<AppControl | undefined> {
  if (settings.azureApp !== undefined) {
    const { ArmAppControl } = await import('../azure/ArmAppControl.js');
    const { subscriptionId, resourceGroup, appName } = settings.azureApp;
    return new ArmAppControl(subscriptionId, resourceGroup, appName);
  }
  if (settings.localHost !== undefined) {
    return new LocalHostAppControl(settings.localHost.url, settings.localHost.masterKey);
  }
  return undefined;
}

async function createReferences(
  azureApp: NonNullable<RotationSettings['azureApp']>,
): Promise<ReferenceVersionSource> {
  const { ArmKeyVaultReferences } = await import('../azure/ArmKeyVaultReferences.js');
  const { subscriptionId, resourceGroup, appName } = azureApp;
  return new ArmKeyVaultReferences(
    subscriptionId,
    resourceGroup,
    appName,
    new DefaultAzureCredential(),
  );
}

/**
 * The query source is imported only in the branch that uses it: the local one needs Kusto.Language,
 * a development dependency the deployed app does not have.
 */
async function createKeyUsage(settings: RotationSettings): Promise<KeyUsageSource> {
  let source: LogQuerySource | undefined;
  if (settings.logWorkspaceId !== undefined) {
    const { MonitorLogQuerySource } = await import('../azure/MonitorLogQuerySource.js');
    source = new MonitorLogQuerySource(settings.logWorkspaceId);
  } else if (settings.localLogDirectory !== undefined) {
    const { LocalLogQuerySource } = await import('../detections/LocalLogQuerySource.js');
    source = new LocalLogQuerySource(settings.localLogDirectory);
  }
  if (source !== undefined) return new LogQueryKeyUsage(source);
  return {
    usage: (keyId) =>
      Promise.reject(
        new KeyUsageUnavailableError(
          keyId,
          "no log source is configured: set SEALOPS_LOG_WORKSPACE_ID to the app's Log Analytics workspace",
        ),
      ),
  };
}

function probeWith(appBaseUrl: string, functionName: string): (key: string) => Promise<number> {
  // An empty POST: a known key gets past authentication and is refused for its body (400), an
  // unknown one gets 401. Nothing is sealed.
  return async (key) => {
    const response = await fetch(`${appBaseUrl}/${functionName}`, {
      method: 'POST',
      headers: { 'x-functions-key': key },
      signal: AbortSignal.timeout(20_000),
    });
    await response.body?.cancel();
    return response.status;
  };
}

let services: Promise<RotationServices> | undefined;

/**
 * The process's rotation services, made on first use. A failure is not kept: the next timer tick
 * tries again, so fixing a setting needs no restart.
 */
export function rotationServices(): Promise<RotationServices> {
  services ??= createRotationServices().catch((error: unknown) => {
    services = undefined;
    throw error;
  });
  return services;
}
