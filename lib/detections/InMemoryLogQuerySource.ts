import { evaluateKql, type TelemetryTables } from './evaluateKql.js';
import type { LogQuerySource, QueryTimespan } from './LogQuerySource.js';
import type { QueryResult } from './QueryResult.js';
import { resolveTimespan } from './resolveTimespan.js';
import { rowsWithin } from './rowsWithin.js';

/** Options for {@link InMemoryLogQuerySource} and {@link LocalLogQuerySource}. */
export interface LocalQueryOptions {
  /**
   * The clock: what `now()` and `ago()` read and where a bare duration ends.
   * @default the system clock
   */
  readonly now?: () => Date;
}

/**
 * A {@link LogQuerySource} over rows held in memory, run by the local evaluator: for tests and
 * fixtures. Rows outside the time range are dropped before the query runs, as Log Analytics does.
 */
export class InMemoryLogQuerySource implements LogQuerySource {
  readonly #tables: TelemetryTables;
  readonly #now: () => Date;

  constructor(tables: TelemetryTables, options: LocalQueryOptions = {}) {
    const { now = () => new Date() } = options;
    this.#tables = tables;
    this.#now = now;
  }

  query(query: string, timespan: QueryTimespan): Promise<QueryResult> {
    // The executor turns a thrown error into a rejection, as an async source would.
    return new Promise((resolve) => {
      const now = this.#now();
      const { start, end } = resolveTimespan(timespan, now);
      resolve(evaluateKql(query, { tables: rowsWithin(this.#tables, start, end), now }));
    });
  }
}
