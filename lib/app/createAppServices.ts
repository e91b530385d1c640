import { JsonLinesTelemetrySink } from '../../local/telemetry/JsonLinesTelemetrySink.js';
import { AzureMonitorTelemetrySink } from '../azure/AzureMonitorTelemetrySink.js';
import { loadAppSettings, type AppSettings } from '../config/AppSettings.js';
import { ConfigurationError } from '../config/ConfigurationError.js';
import { SigningApiClient } from '../signing/SigningApiClient.js';
import { staticCredentials } from '../signing/staticCredentials.js';
import type { TelemetrySink } from '../telemetry/TelemetrySink.js';

/** What the functions need from the outside world, chosen once from the settings. */
export interface AppServices {
  readonly settings: AppSettings;
  readonly signer: SigningApiClient;
  readonly telemetry: TelemetrySink;
}

/**
 * The composition root: reads the settings and picks each seam's implementation. The same code
 * runs on Azure and on the local stack; only the settings differ.
 */
export function createAppServices(env: NodeJS.ProcessEnv = process.env): AppServices {
  const settings = loadAppSettings(env);
  const telemetry = createTelemetrySink(settings);
  if (!settings.staticSigningKey) {
    throw new ConfigurationError('TS_API_KEY_ID', 'missing, so there is no signing key');
  }
  const { keyId, apiKeyHex } = settings.staticSigningKey;
  const signer = new SigningApiClient({
    baseUrl: settings.signingApiUrl,
    credentials: staticCredentials(keyId, apiKeyHex),
    attemptTimeoutMs: settings.signingTimeoutMs,
    telemetry,
  });
  return { settings, signer, telemetry };
}

function createTelemetrySink(settings: AppSettings): TelemetrySink {
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
