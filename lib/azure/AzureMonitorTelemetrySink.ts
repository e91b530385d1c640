import { useAzureMonitor } from '@azure/monitor-opentelemetry';
import { logs, type Logger } from '@opentelemetry/api-logs';
import type { AppEvent } from '../telemetry/events.js';
import type { TelemetrySink } from '../telemetry/TelemetrySink.js';

let started = false;

/**
 * Sends events to Application Insights as custom events: an OpenTelemetry log record carrying
 * `microsoft.custom_event.name` becomes a `customEvents` row (workspace: `AppEvents`) whose
 * `customDimensions` are the event's fields. The host's own `requests` rows cannot carry our fields
 * (the Node worker has no channel for them), which is why detections read these events instead.
 */
export class AzureMonitorTelemetrySink implements TelemetrySink {
  readonly #logger: Logger;

  constructor(connectionString: string) {
    if (!started) {
      useAzureMonitor({ azureMonitorExporterOptions: { connectionString } });
      started = true;
    }
    this.#logger = logs.getLogger('sealops');
  }

  emit(event: AppEvent): void {
    const { name, ...fields } = event;
    const attributes: Record<string, string> = { 'microsoft.custom_event.name': name };
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) attributes[key] = String(value);
    }
    try {
      this.#logger.emit({ body: name, attributes });
    } catch (error) {
      console.error(`Could not send a ${name} event to Application Insights: ${String(error)}`);
    }
  }
}
