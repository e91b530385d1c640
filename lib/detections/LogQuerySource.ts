import type { QueryResult } from './QueryResult.js';

/**
 * The time range a query runs over, the same shapes as `QueryTimeInterval` in
 * `@azure/monitor-query-logs`. A duration alone ends now. The range is applied in addition to
 * any time filter in the query text.
 */
export type QueryTimespan =
  | { readonly startTime: Date; readonly endTime: Date }
  | { readonly startTime: Date; readonly duration: string }
  | { readonly duration: string; readonly endTime: Date }
  | { readonly duration: string };

/**
 * Where detection queries run: Log Analytics through `@azure/monitor-query-logs` on Azure, the
 * local evaluator over the local telemetry log on the local stack, in-memory rows in tests.
 *
 * `query` resolves with a success or a partial failure (both carry tables) and rejects when the
 * query could not run at all.
 */
export interface LogQuerySource {
  query(query: string, timespan: QueryTimespan): Promise<QueryResult>;
}
