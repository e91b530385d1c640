import { JsonLinesTelemetrySink } from '../../local/telemetry/JsonLinesTelemetrySink.js';
import { AzureMonitorTelemetrySink } from '../azure/AzureMonitorTelemetrySink.js';
import { createSigningCredentials } from '../azure/createSigningCredentials.js';
import { loadAppSettings, type AppSettings } from '../config/AppSettings.js';
import { createStorageServices } from '../azure/createStorageServices.js';
import { SigningApiClient } from '../signing/SigningApiClient.js';
import type { StorageServices } from '../storage/StorageServices.js';
import type { TelemetrySink } from '../telemetry/TelemetrySink.js';

/** What the functions need from the outside world, chosen once from the settings. */
export interface AppServices {
  readonly settings: AppSettings;
  readonly signer: SigningApiClient;
  readonly telemetry: TelemetrySink;
  /** Storage mode: the blob store, the container allowlist and the drop folder. */
  readonly storage: StorageServices;
}

/**
 * The composition root: reads the settings and picks each seam's implementation. The same code
 * runs on Azure and on the local stack; only the settings differ.
 */
export function createAppServices(env: NodeJS.ProcessEnv = process.env): AppServices {
  const settings = loadAppSettings(env);
  const telemetry = createTelemetrySink(settings);
  // Key Vault when KEY_VAULT_URL is set, else TS_API_KEY_ID / TS_API_KEY.
  const credentials = createSigningCredentials(env, settings.staticSigningKey, {
    onProblem: (message) => console.warn(message),
  });
  const signer = new SigningApiClient({
    baseUrl: settings.signingApiUrl,
    credentials,
    attemptTimeoutMs: settings.signingTimeoutMs,
    telemetry,
  });
  const storage = createStorageServices(settings.storage);
  return { settings, signer, telemetry, storage };
}

/** The telemetry sink the settings choose; the alert timer shares it with the functions. */
export function createTelemetrySink(
  settings: Pick<AppSettings, 'telemetry' | 'appName'>,
): TelemetrySink {
  switch (settings.telemetry.kind) {
    case 'azure':
      return new AzureMonitorTelemetrySink(settings.telemetry.connectionString);
    case 'local':
      return new JsonLinesTelemetrySink(settings.telemetry.directory, settings.appName);
    case 'none':
      return { emit: () => undefined };
  }
}

let services: AppServices | undefined;

/** The process's services, made on first use. A configuration error is thrown on every use. */
export function appServices(): AppServices {
  services ??= createAppServices();
  return services;
}
