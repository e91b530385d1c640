import { isIP } from 'node:net';

import { ConfigurationError } from './ConfigurationError.js';
import { readAzureAppIdentity, type AzureAppIdentity } from './readAzureAppIdentity.js';
import { readWebJobsStorage, type WebJobsStorage } from './readWebJobsStorage.js';

/**
 * The alert timer's settings, read apart from the seal function's so that a mistake here never
 * stops sealing, and a broken seal setting never silences the detections.
 */
export interface DetectionSettings {
  /**
   * `SEALOPS_LOG_WORKSPACE_ID`: the Log Analytics workspace ID (a GUID) the detections query on
   * Azure. Without it, detections read the local log when there is one, else do not run.
   */
  readonly logWorkspaceId?: string;
  /** `SEALOPS_TELEMETRY_DIR`: the local log, read by the detections on the local stack. */
  readonly localLogDirectory?: string;
  /**
   * `SEALOPS_ALERT_WEBHOOK_URL`: where alerts are posted (Slack, Teams). A credential: anyone
   * holding it can post into the channel. HTTPS, or HTTP to a loopback address.
   */
  readonly alertWebhookUrl?: string;
  /** `SEALOPS_AUTO_CONTAIN=true` turns automatic containment on. @default false */
  readonly autoContain: boolean;
  /**
   * `SEALOPS_CONTAINMENT_NEVER_BLOCK`: comma-separated addresses and CIDR ranges automatic
   * containment never blocks; replaces the default when set.
   * @default ['127.0.0.0/8', '::1/128'] (loopback)
   */
  readonly containmentNeverBlock: readonly string[];
  /** `AzureWebJobsStorage` (or its identity-based `__blobServiceUri` / `__accountName` forms). */
  readonly storage?: WebJobsStorage;
  /**
   * The app itself on Azure, from the platform's `WEBSITE_OWNER_NAME` (subscription),
   * `WEBSITE_RESOURCE_GROUP` and `WEBSITE_SITE_NAME`: what containment changes through ARM.
   */
  readonly azureApp?: AzureAppIdentity;
  /**
   * `LOCAL_HOST_URL` and `LOCAL_HOST_MASTER_KEY`, set by the local stack: the local host's admin
   * surface, what containment changes there. The master key is a secret.
   */
  readonly localHost?: { readonly url: string; readonly masterKey: string };
  /** `WEBSITE_SITE_NAME`, named in alert posts. @default 'sealops' */
  readonly appName: string;
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the alert timer's settings; throws {@link ConfigurationError} naming the first bad one. */
export function loadDetectionSettings(env: NodeJS.ProcessEnv = process.env): DetectionSettings {
  const logWorkspaceId = env.SEALOPS_LOG_WORKSPACE_ID?.trim();
  if (logWorkspaceId && !guid.test(logWorkspaceId)) {
    throw new ConfigurationError(
      'SEALOPS_LOG_WORKSPACE_ID',
      "not a workspace ID (the GUID under the workspace's Properties, not its resource ID)",
    );
  }
  const alertWebhookUrl = env.SEALOPS_ALERT_WEBHOOK_URL?.trim();
  if (alertWebhookUrl && !isWebhookUrl(alertWebhookUrl)) {
    throw new ConfigurationError('SEALOPS_ALERT_WEBHOOK_URL', 'not an https URL');
  }
  const autoContain = env.SEALOPS_AUTO_CONTAIN?.trim().toLowerCase() ?? 'false';
  if (autoContain !== 'true' && autoContain !== 'false' && autoContain !== '') {
    throw new ConfigurationError('SEALOPS_AUTO_CONTAIN', 'neither true nor false');
  }
  const neverBlock = env.SEALOPS_CONTAINMENT_NEVER_BLOCK?.trim()
    ? env.SEALOPS_CONTAINMENT_NEVER_BLOCK.split(',').map((entry) => entry.trim())
    : ['127.0.0.0/8', '::1/128'];
  if (!neverBlock.every(isAddressOrRange)) {
    throw new ConfigurationError(
      'SEALOPS_CONTAINMENT_NEVER_BLOCK',
      'not a comma-separated list of IP addresses and CIDR ranges',
    );
  }
  const localLogDirectory = env.SEALOPS_TELEMETRY_DIR?.trim();
  const storage = readWebJobsStorage(env);
  const azureApp = readAzureAppIdentity(env);
  const localHostUrl = env.LOCAL_HOST_URL?.trim();
  const localMasterKey = env.LOCAL_HOST_MASTER_KEY?.trim();
  return {
    ...(logWorkspaceId ? { logWorkspaceId } : {}),
    ...(localLogDirectory ? { localLogDirectory } : {}),
    ...(alertWebhookUrl ? { alertWebhookUrl } : {}),
    autoContain: autoContain === 'true',
    containmentNeverBlock: neverBlock,
    ...(storage ? { storage } : {}),
    ...(azureApp ? { azureApp } : {}),
    ...(localHostUrl && localMasterKey
      ? { localHost: { url: localHostUrl, masterKey: localMasterKey } }
      : {}),
    appName: env.WEBSITE_SITE_NAME ?? 'sealops',
  };
}

function isWebhookUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  // Plain HTTP only to this machine: the local stack and tests.
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  return url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
}

function isAddressOrRange(entry: string): boolean {
  const [base = '', prefix, extra] = entry.split('/');
  const version = isIP(base);
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}
