import { shutdownAzureMonitor } from '@azure/monitor-opentelemetry';

/**
 * Sends what `AzureMonitorTelemetrySink` still buffers and stops the exporter. A command-line
 * process calls it before it exits; otherwise its last events are lost. Never throws: a telemetry
 * failure must not turn a successful command into a failed one.
 */
export async function flushAzureMonitor(): Promise<void> {
  try {
    await shutdownAzureMonitor();
  } catch (error) {
    console.error(`Could not flush events to Application Insights: ${String(error)}`);
  }
}
