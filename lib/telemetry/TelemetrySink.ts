import type { AppEvent } from './events.js';

/**
 * Where events go: Application Insights on Azure, a local JSON-lines log on the local stack, an
 * array in a test. `emit` never throws and never blocks the caller on I/O.
 */
export interface TelemetrySink {
  emit(event: AppEvent): void;
}
