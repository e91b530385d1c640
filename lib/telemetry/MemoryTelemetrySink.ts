import type { AppEvent } from './events.js';
import type { TelemetrySink } from './TelemetrySink.js';

/** Keeps events in memory: for tests, and for commands that report what they emitted. */
export class MemoryTelemetrySink implements TelemetrySink {
  readonly events: AppEvent[] = [];

  emit(event: AppEvent): void {
    this.events.push(event);
  }
}
