import type { ScheduledDetection } from './DetectionDefinition.js';
import type { QueryCell } from './QueryResult.js';
import type { DetectionAlert } from './runDetection.js';

/** Rows an alert notice shows; the rest are counted, not shown. */
const shownRows = 5;
/** Longest cell text an alert notice shows. */
const longestCell = 200;

/** What an alert says, ready for an event, a webhook or a terminal. */
export interface AlertDescription {
  /** One line: the title, the alert key and the first row. */
  readonly summary: string;
  /** The first rows as text, with anything that looks like a credential redacted. */
  readonly rows: readonly Readonly<Record<string, string>>[];
}

/**
 * Describes one alert of `detection` in words and text cells. The detections' result columns
 * hold addresses, key IDs and counts, never secrets; still, query-string credentials (`code=`,
 * `sig=`, ...) and columns named like secrets are redacted, because a notice leaves the app.
 */
export function describeAlert(
  detection: ScheduledDetection,
  alert: DetectionAlert,
): AlertDescription {
  const rows = alert.rows.slice(0, shownRows).map((row) => {
    const text: Record<string, string> = {};
    for (const [column, cell] of Object.entries(row)) text[column] = cellText(column, cell);
    return text;
  });
  const first = rows[0];
  const firstRow = first
    ? Object.entries(first)
        .map(([column, value]) => `${column}=${value}`)
        .join(', ')
    : '';
  const key = alert.keyText === '' ? '' : ` for ${decodeURIComponent(alert.keyText)}`;
  const count = `${alert.rows.length} row${alert.rows.length === 1 ? '' : 's'}`;
  const summary = `${detection.title}${key} (${count}): ${firstRow}`;
  return { summary: summary.slice(0, 1000), rows };
}

const secretColumn = /secret|password|token|^(api|function|host|master)key$/i;
const secretParameter = /\b(code|sig|token|key|secret|password)=[^&\s"',;]*/gi;

function cellText(column: string, cell: QueryCell): string {
  if (secretColumn.test(column)) return 'REDACTED';
  let text: string;
  if (cell === null) text = '';
  else if (cell instanceof Date) text = cell.toISOString();
  else if (typeof cell === 'object') text = JSON.stringify(cell);
  else text = String(cell);
  text = text.replace(secretParameter, '$1=REDACTED');
  return text.length > longestCell ? `${text.slice(0, longestCell - 1)}…` : text;
}
