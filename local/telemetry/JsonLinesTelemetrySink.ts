import type { AppEvent } from '../../lib/telemetry/events.js';
import type { TelemetrySink } from '../../lib/telemetry/TelemetrySink.js';
import { toAppEventsRow } from '../../lib/telemetry/toAppEventsRow.js';
import { JsonLinesTable } from './JsonLinesTable.js';

/** Writes events as `AppEvents` rows to the local log, in the shape Application Insights stores. */
export class JsonLinesTelemetrySink implements TelemetrySink {
  readonly #table: JsonLinesTable;
  readonly #appRoleName: string;
  readonly #now: () => Date;

  constructor(directory: string, appRoleName: string, now: () => Date = () => new Date()) {
    this.#table = new JsonLinesTable(directory, 'AppEvents');
    this.#appRoleName = appRoleName;
    this.#now = now;
  }

  emit(event: AppEvent): void {
    try {
      this.#table.append(toAppEventsRow(event, this.#now(), this.#appRoleName));
    } catch (error) {
      // Telemetry must never fail the operation it describes.
      console.error(`Could not write a ${event.name} event to the local log: ${String(error)}`);
    }
  }
}
