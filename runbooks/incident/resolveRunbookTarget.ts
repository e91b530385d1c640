import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';

import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';

import { ArmAppControl } from '../../lib/azure/ArmAppControl.js';
import { AzureMonitorTelemetrySink } from '../../lib/azure/AzureMonitorTelemetrySink.js';
import {
  BlobContainmentStore,
  containmentContainer,
} from '../../lib/azure/BlobContainmentStore.js';
import { createSecretClient } from '../../lib/azure/createSecretClient.js';
import { flushAzureMonitor } from '../../lib/azure/flushAzureMonitor.js';
import { KeyVaultSecretStore } from '../../lib/azure/KeyVaultSecretStore.js';
import { MonitorLogQuerySource } from '../../lib/azure/MonitorLogQuerySource.js';
import { principalName } from '../../lib/azure/principalName.js';
import {
  defaultSigningKeySecretName,
  signingKeySecretNameSetting,
} from '../../lib/credentials/signingKeySecret.js';
import { LocalLogQuerySource } from '../../lib/detections/LocalLogQuerySource.js';
import { parseAddressRange } from '../../lib/runbooks/AddressRange.js';
import { providerKeyRevoker } from '../../lib/runbooks/providerKeyRevoker.js';
import type { SigningKeyAccess } from '../../lib/runbooks/SigningKeyAccess.js';
import { ProviderKeyApi } from '../../lib/rotation/signing-key/ProviderKeyApi.js';
import { LocalHostAppControl } from '../../local/host/LocalHostAppControl.js';
import { JsonLinesTelemetrySink } from '../../local/telemetry/JsonLinesTelemetrySink.js';
import { CommandError } from '../CommandError.js';
import { FileAuditLog } from './FileAuditLog.js';
import { HttpAppEndpoint } from './HttpAppEndpoint.js';
import { lazyEmergencyRotation } from './lazyEmergencyRotation.js';
import type { RunbookTarget } from './RunbookTarget.js';
import type { TargetOptionValues } from './targetOptions.js';
import { readStackEndpoints } from './readStackEndpoints.js';
import { localStateDir } from '../localStateDir.js';

/** The seal function's registered name. */
const defaultSealFunction = 'seal-pdf';

/**
 * Builds the target an incident command acts on: `--target local` (the default when the local
 * stack's state folder exists) or `--target azure` with `--subscription`, `--resource-group` and
 * `--app`. Checks the options once, here; throws {@link CommandError} (exit 2) for missing ones.
 */
export async function resolveRunbookTarget(
  values: TargetOptionValues,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunbookTarget> {
  const stateDir = localStateDir(values['state-dir'], env);
  const kind =
    values.target ??
    (existsSync(join(stateDir, 'host', 'state.json')) || !values.app ? 'local' : 'azure');
  if (kind === 'local') return localTarget(values, stateDir, env);
  if (kind === 'azure') return azureTarget(values, stateDir, env);
  throw new CommandError(`--target must be 'local' or 'azure', not '${kind}'.`, 2);
}

async function localTarget(
  values: TargetOptionValues,
  stateDir: string,
  env: NodeJS.ProcessEnv,
): Promise<RunbookTarget> {
  const hostState = await readJson<{ masterKey?: string }>(join(stateDir, 'host', 'state.json'));
  if (hostState?.masterKey === undefined) {
    throw new CommandError(
      `No local stack state in ${stateDir}: start the stack (npm start), pass --state-dir, or use --target azure.`,
      2,
    );
  }
  const endpoints = await readStackEndpoints(stateDir);
  const baseUrl = (env.SEALOPS_URL ?? endpoints.baseUrl ?? 'http://127.0.0.1:7071/api').replace(
    /\/+$/,
    '',
  );
  const telemetryDir = endpoints.telemetryDir ?? join(stateDir, 'telemetry');
  const connectionString =
    values.storage ?? endpoints.storageConnectionString ?? 'UseDevelopmentStorage=true';
  const rootFile = join(stateDir, 'signing-service', 'pki', 'root.cert.pem');
  const signingKeys = await localSigningKeys(values, stateDir, endpoints, env);

  return {
    kind: 'local',
    app: 'sealops',
    sealFunction: values['seal-function'] ?? defaultSealFunction,
    actor: `${userInfo().username}@${hostname()}`,
    control: new LocalHostAppControl(baseUrl.replace(/\/api$/, ''), hostState.masterKey),
    store: new BlobContainmentStore(
      BlobServiceClient.fromConnectionString(connectionString).getContainerClient(
        containmentContainer,
      ),
    ),
    telemetry: new JsonLinesTelemetrySink(telemetryDir, 'sealops'),
    audit: new FileAuditLog(values['audit-log'] ?? join(stateDir, 'audit', 'runbooks.jsonl')),
    endpoint: new HttpAppEndpoint(baseUrl),
    ...(signingKeys ? { signingKeys } : {}),
    logs: new LocalLogQuerySource(telemetryDir),
    // The responder on the local stack calls from the loopback.
    responderAddresses: ['127.0.0.1', '::1'],
    trustedRoots: await readRoots(
      values['trusted-root'] ?? (existsSync(rootFile) ? [rootFile] : []),
    ),
    reportDirectory: join(stateDir, 'incidents'),
    close: () => Promise.resolve(),
  };
}

async function localSigningKeys(
  values: TargetOptionValues,
  stateDir: string,
  endpoints: Awaited<ReturnType<typeof readStackEndpoints>>,
  env: NodeJS.ProcessEnv,
): Promise<SigningKeyAccess | undefined> {
  const vaultUrl = values['vault-url'] ?? endpoints.keyVaultUrl;
  if (vaultUrl === undefined) return undefined;
  const caFile = endpoints.keyVaultCaFile ?? join(stateDir, 'tls', 'ca.pem');
  const client = createSecretClient({
    vaultUrl,
    secretName: secretName(values, env),
    caFile,
    localCredential: true,
    cacheTtlMs: 0,
  });
  const adminToken = await readFile(join(stateDir, 'stack', 'signing-admin-token'), 'utf8').catch(
    () => undefined,
  );
  const revoker =
    endpoints.signingServiceUrl !== undefined && adminToken !== undefined
      ? providerKeyRevoker(
          new ProviderKeyApi({
            baseUrl: endpoints.signingServiceUrl,
            adminToken: adminToken.trim(),
          }),
        )
      : undefined;
  // The engine runs with the settings the stack gave the app (<stateDir>/stack/settings.json).
  const rotation = lazyEmergencyRotation(async () => {
    const settings = await readJson<Record<string, string>>(
      join(stateDir, 'stack', 'settings.json'),
    );
    if (settings === undefined) {
      throw new CommandError(
        `No ${join(stateDir, 'stack', 'settings.json')}: restart the local stack.`,
      );
    }
    return { ...env, ...settings };
  });
  return {
    store: new KeyVaultSecretStore(client),
    secretName: secretName(values, env),
    ...(revoker ? { revoker } : {}),
    rotation,
    refreshesReferences: false,
  };
}

async function azureTarget(
  values: TargetOptionValues,
  stateDir: string,
  env: NodeJS.ProcessEnv,
): Promise<RunbookTarget> {
  const subscription = values.subscription ?? env.AZURE_SUBSCRIPTION_ID;
  const resourceGroup = values['resource-group'];
  const app = values.app;
  if (!subscription || !resourceGroup || !app) {
    throw new CommandError('--target azure needs --subscription, --resource-group and --app.', 2);
  }
  const credential = new DefaultAzureCredential();
  const connectionString = values.storage ?? env.AzureWebJobsStorage;
  const blobService =
    connectionString !== undefined
      ? BlobServiceClient.fromConnectionString(connectionString)
      : values['storage-account-url'] !== undefined
        ? new BlobServiceClient(values['storage-account-url'], credential)
        : undefined;
  if (blobService === undefined) {
    throw new CommandError(
      "The containment record lives in the app's storage account: pass --storage or --storage-account-url.",
      2,
    );
  }
  const appInsights = env.APPLICATIONINSIGHTS_CONNECTION_STRING;
  if (appInsights === undefined) {
    console.error(
      'APPLICATIONINSIGHTS_CONNECTION_STRING is not set: RunbookAction events go to the local audit log only.',
    );
  }
  const vaultUrl = values['vault-url'] ?? env.KEY_VAULT_URL;
  const workspaceId = values['workspace-id'] ?? env.SEALOPS_WORKSPACE_ID;
  const appUrl = values['app-url'] ?? `https://${app}.azurewebsites.net/api`;
  const myAddress = values['my-address'];
  if (myAddress !== undefined) parseAddressRange(myAddress);
  const actor =
    (await principalName(credential)) ??
    (env.AZURE_CLIENT_ID ? `app:${env.AZURE_CLIENT_ID}` : `${userInfo().username}@${hostname()}`);

  return {
    kind: 'azure',
    app,
    sealFunction: values['seal-function'] ?? defaultSealFunction,
    actor,
    control: new ArmAppControl(subscription, resourceGroup, app, credential),
    store: new BlobContainmentStore(blobService.getContainerClient(containmentContainer)),
    telemetry: appInsights ? new AzureMonitorTelemetrySink(appInsights) : { emit: () => undefined },
    audit: new FileAuditLog(values['audit-log'] ?? join(stateDir, 'audit', 'runbooks.jsonl')),
    endpoint: new HttpAppEndpoint(appUrl),
    ...(vaultUrl
      ? {
          signingKeys: {
            store: new KeyVaultSecretStore(
              createSecretClient(
                {
                  vaultUrl,
                  secretName: secretName(values, env),
                  localCredential: false,
                  cacheTtlMs: 0,
                },
                credential,
              ),
            ),
            secretName: secretName(values, env),
            // The engine as the app runs it, pointed at this app from here (createRotationServices).
            rotation: lazyEmergencyRotation(() =>
              Promise.resolve({
                ...env,
                KEY_VAULT_URL: vaultUrl,
                AZURE_SUBSCRIPTION_ID: subscription,
                AZURE_RESOURCE_GROUP: resourceGroup,
                AZURE_FUNCTION_APP: app,
                WEBSITE_HOSTNAME: new URL(appUrl).host,
                ...(connectionString ? { AzureWebJobsStorage: connectionString } : {}),
                ...(values['storage-account-url']
                  ? { AzureWebJobsStorage__blobServiceUri: values['storage-account-url'] }
                  : {}),
                ...(workspaceId ? { SEALOPS_LOG_WORKSPACE_ID: workspaceId } : {}),
              }),
            ),
            refreshesReferences: true,
          },
        }
      : {}),
    logs: workspaceId
      ? new MonitorLogQuerySource(workspaceId, credential)
      : { unavailable: 'pass --workspace-id (or set SEALOPS_WORKSPACE_ID) to query Log Analytics' },
    responderAddresses: myAddress ? [myAddress] : [],
    trustedRoots: await readRoots(values['trusted-root'] ?? []),
    reportDirectory: join(process.cwd(), 'incidents'),
    close: () => (appInsights ? flushAzureMonitor() : Promise.resolve()),
  };
}

function secretName(values: TargetOptionValues, env: NodeJS.ProcessEnv): string {
  return values['secret-name'] ?? env[signingKeySecretNameSetting] ?? defaultSigningKeySecretName;
}

async function readRoots(files: readonly string[]): Promise<string[]> {
  return Promise.all(
    files.map((file) =>
      readFile(file, 'utf8').catch(() => {
        throw new CommandError(`Cannot read the trusted root ${file}.`, 2);
      }),
    ),
  );
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
