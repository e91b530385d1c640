import { BlobServiceClient } from '@azure/storage-blob';
import { DefaultAzureCredential } from '@azure/identity';

import type { AppControl } from '../appcontrol/AppControl.js';
import {
  BlobDetectionStateStore,
  detectionStateContainer,
} from '../azure/BlobDetectionStateStore.js';
import { ConfigurationError } from '../config/ConfigurationError.js';
import { loadDetectionSettings, type DetectionSettings } from '../config/DetectionSettings.js';
import { AddressBlocker } from '../detections/AddressBlocker.js';
import { AlertWebhook } from '../detections/AlertWebhook.js';
import type { Containment } from '../detections/Containment.js';
import type { ScheduledDetection } from '../detections/DetectionDefinition.js';
import type { DetectionStateStore } from '../detections/DetectionStateStore.js';
import { loadDetections } from '../detections/loadDetections.js';
import type { LogQuerySource } from '../detections/LogQuerySource.js';
import type { TelemetrySink } from '../telemetry/TelemetrySink.js';
import { createTelemetrySink } from './createAppServices.js';

/** What the alert timer needs from the outside world, chosen once from the settings. */
export interface DetectionServices {
  readonly settings: DetectionSettings;
  /** The scheduled detections in kql/ (hunting queries are left out). */
  readonly detections: readonly ScheduledDetection[];
  /** Log Analytics on Azure, the local log on the local stack; undefined when neither is set. */
  readonly source: LogQuerySource | undefined;
  readonly state: DetectionStateStore;
  readonly telemetry: TelemetrySink;
  readonly webhook?: AlertWebhook;
  /** Present only when `SEALOPS_AUTO_CONTAIN=true` and the app can change its access rules. */
  readonly containment?: Containment;
  /** Why automatic containment is off although it was asked for. */
  readonly containmentUnavailable?: string;
}

/**
 * The alert timer's composition root. The query source is imported only in the branch that uses
 * it: the local source needs Microsoft's Kusto.Language, a development dependency that the
 * deployed app does not have and must not load.
 */
export async function createDetectionServices(
  env: NodeJS.ProcessEnv = process.env,
): Promise<DetectionServices> {
  const settings = loadDetectionSettings(env);
  if (settings.storage === undefined) {
    throw new ConfigurationError('AzureWebJobsStorage', 'missing, so detections cannot keep state');
  }
  const telemetry = createTelemetrySink({
    appName: settings.appName,
    // The same choice loadAppSettings makes for the functions.
    telemetry: env.APPLICATIONINSIGHTS_CONNECTION_STRING
      ? { kind: 'azure', connectionString: env.APPLICATIONINSIGHTS_CONNECTION_STRING }
      : settings.localLogDirectory
        ? { kind: 'local', directory: settings.localLogDirectory }
        : { kind: 'none' },
  });
  const detections = (await loadDetections()).filter(
    (definition): definition is ScheduledDetection => definition.kind === 'detection',
  );
  const blobService =
    settings.storage.kind === 'connectionString'
      ? BlobServiceClient.fromConnectionString(settings.storage.connectionString)
      : new BlobServiceClient(settings.storage.blobServiceUrl, new DefaultAzureCredential());
  const state = new BlobDetectionStateStore(
    blobService.getContainerClient(detectionStateContainer),
  );

  const containment = await createContainment(settings, telemetry);
  return {
    settings,
    detections,
    source: await createSource(settings),
    state,
    telemetry,
    ...(settings.alertWebhookUrl ? { webhook: new AlertWebhook(settings.alertWebhookUrl) } : {}),
    ...containment,
  };
}

async function createSource(settings: DetectionSettings): Promise<LogQuerySource | undefined> {
  if (settings.logWorkspaceId !== undefined) {
    const { MonitorLogQuerySource } = await import('../azure/MonitorLogQuerySource.js');
    return new MonitorLogQuerySource(settings.logWorkspaceId);
  }
  if (settings.localLogDirectory !== undefined) {
    const { LocalLogQuerySource } = await import('../detections/LocalLogQuerySource.js');
    return new LocalLogQuerySource(settings.localLogDirectory);
  }
  return undefined;
}

async function createContainment(
  settings: DetectionSettings,
  telemetry: TelemetrySink,
): Promise<{ containment?: Containment; containmentUnavailable?: string }> {
  if (!settings.autoContain) return {};
  const appControl = await createAppControl(settings);
  if (appControl === undefined) {
    return {
      containmentUnavailable:
        'SEALOPS_AUTO_CONTAIN is true but the app cannot change its access rules here (no ' +
        'WEBSITE_OWNER_NAME, WEBSITE_RESOURCE_GROUP and WEBSITE_SITE_NAME on Azure, no ' +
        'LOCAL_HOST_URL and LOCAL_HOST_MASTER_KEY on the local stack)',
    };
  }
  return {
    containment: new AddressBlocker({
      appControl,
      telemetry,
      neverBlock: settings.containmentNeverBlock,
    }),
  };
}

/** ARM on Azure, the local host's admin surface on the local stack. */
async function createAppControl(settings: DetectionSettings): Promise<AppControl | undefined> {
  if (settings.azureApp !== undefined) {
    const { ArmAppControl } = await import('../azure/ArmAppControl.js');
    const { subscriptionId, resourceGroup, appName } = settings.azureApp;
    return new ArmAppControl(subscriptionId, resourceGroup, appName);
  }
  if (settings.localHost !== undefined) {
    const { LocalHostAppControl } = await import('../../local/host/LocalHostAppControl.js');
    return new LocalHostAppControl(settings.localHost.url, settings.localHost.masterKey);
  }
  return undefined;
}

let services: Promise<DetectionServices> | undefined;

/**
 * The process's detection services, made on first use. A failure is not kept: the next tick tries
 * again, so fixing a setting needs no restart.
 */
export function detectionServices(): Promise<DetectionServices> {
  services ??= createDetectionServices().catch((error: unknown) => {
    services = undefined;
    throw error;
  });
  return services;
}
