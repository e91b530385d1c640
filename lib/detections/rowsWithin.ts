import { toKqlDatetime } from './evaluation/conversions.js';
import type { TelemetryRow, TelemetryTables } from './evaluateKql.js';
import type { WorkspaceTableName } from './workspaceSchema.js';

/**
 * The rows of each table whose `TimeGenerated` lies in [start, end], as Log Analytics applies a
 * query's time range. Rows whose `TimeGenerated` is not a date are kept, so that evaluation
 * reports them rather than hiding them.
 */
export function rowsWithin(tables: TelemetryTables, start: Date, end: Date): TelemetryTables {
  const filtered: Partial<Record<WorkspaceTableName, readonly TelemetryRow[]>> = {};
  for (const [name, rows] of Object.entries(tables) as [
    WorkspaceTableName,
    readonly TelemetryRow[],
  ][]) {
    filtered[name] = rows.filter((row) => {
      const raw = row['TimeGenerated'];
      const time = raw instanceof Date || typeof raw === 'string' ? toKqlDatetime(raw) : null;
      if (time === null) return true;
      return time.getTime() >= start.getTime() && time.getTime() <= end.getTime();
    });
  }
  return filtered;
}
