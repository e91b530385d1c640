import type { ScheduledDetection, TriggerOperator } from './DetectionDefinition.js';
import { toKqlString } from './evaluation/conversions.js';
import type { LogQuerySource } from './LogQuerySource.js';
import { rowsAsObjects, type QueryCell, type QueryResult, type QueryTable } from './QueryResult.js';

/** One alert: the result rows that share the detection's `groupBy` values. */
export interface DetectionAlert {
  /** The `groupBy` values as text (datetimes in ISO 8601, sets as JSON). */
  readonly key: Readonly<Record<string, string>>;
  /**
   * `key` as one stable string (`ClientIp=203.0.113.7`; pairs joined by `&`, values
   * URI-encoded): what a suppression window is kept under. Empty when `groupBy` is empty.
   */
  readonly keyText: string;
  readonly rows: readonly Readonly<Record<string, QueryCell>>[];
}

/** The outcome of running one detection once. */
export interface DetectionRun {
  readonly detection: ScheduledDetection;
  /** The source's answer as it came, including a partial failure. */
  readonly result: QueryResult;
  /** The result table (`PrimaryResult`), empty when the source returned none. */
  readonly table: QueryTable;
  /** Whether the row count met the trigger; computed on partial results too. */
  readonly fired: boolean;
  /** One alert per distinct `groupBy` values, in first-row order; empty unless `fired`. */
  readonly alerts: readonly DetectionAlert[];
}

/** Options for {@link runDetection}. */
export interface RunDetectionOptions {
  /**
   * Where the time range ends; the range is `queryPeriod` long.
   * @default the source's now (a bare `{ duration: queryPeriod }`)
   */
  readonly endTime?: Date;
}

/**
 * Runs a scheduled detection once: its query over its `queryPeriod`, then its trigger
 * (`triggerOperator` on the number of result rows against `triggerThreshold`), then the rows
 * grouped into alerts by `groupBy`. Suppression and what an alert does are the caller's.
 */
export async function runDetection(
  detection: ScheduledDetection,
  source: LogQuerySource,
  options: RunDetectionOptions = {},
): Promise<DetectionRun> {
  const { endTime } = options;
  const timespan =
    endTime === undefined
      ? { duration: detection.queryPeriod }
      : { duration: detection.queryPeriod, endTime };
  const result = await source.query(detection.query, timespan);
  const table = result.tables[0] ?? { name: 'PrimaryResult', columns: [], rows: [] };
  const fired = triggerHolds(
    detection.triggerOperator,
    table.rows.length,
    detection.triggerThreshold,
  );
  return {
    detection,
    result,
    table,
    fired,
    alerts: fired ? groupIntoAlerts(table, detection.groupBy) : [],
  };
}

/** Whether `rowCount` meets a Sentinel-style trigger (`gt`, `lt`, `eq`, `ne` against `threshold`). */
export function triggerHolds(
  operator: TriggerOperator,
  rowCount: number,
  threshold: number,
): boolean {
  switch (operator) {
    case 'gt':
      return rowCount > threshold;
    case 'lt':
      return rowCount < threshold;
    case 'eq':
      return rowCount === threshold;
    case 'ne':
      return rowCount !== threshold;
  }
}

function groupIntoAlerts(table: QueryTable, groupBy: readonly string[]): DetectionAlert[] {
  const alerts = new Map<
    string,
    { key: Record<string, string>; rows: Record<string, QueryCell>[] }
  >();
  for (const row of rowsAsObjects(table)) {
    const key: Record<string, string> = {};
    for (const column of groupBy) key[column] = cellText(row[column] ?? null);
    const keyText = groupBy
      .map((column) => `${column}=${encodeURIComponent(key[column] ?? '')}`)
      .join('&');
    const alert = alerts.get(keyText) ?? { key, rows: [] };
    alert.rows.push(row);
    alerts.set(keyText, alert);
  }
  return [...alerts.entries()].map(([keyText, alert]) => ({ keyText, ...alert }));
}

function cellText(cell: QueryCell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString();
  if (typeof cell === 'object') return JSON.stringify(cell);
  return toKqlString(cell);
}
