import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { InvalidTelemetryRowError } from './errors/InvalidTelemetryRowError.js';
import { evaluateKql, type TelemetryRow } from './evaluateKql.js';
import { toKqlDatetime } from './evaluation/conversions.js';
import { toTable } from './evaluation/toTable.js';
import type { LocalQueryOptions } from './InMemoryLogQuerySource.js';
import type { LogQuerySource, QueryTimespan } from './LogQuerySource.js';
import type { QueryResult } from './QueryResult.js';
import { resolveTimespan } from './resolveTimespan.js';
import { rowsWithin } from './rowsWithin.js';
import { workspaceTables, type WorkspaceTableName } from './workspaceSchema.js';

interface TableFile {
  readonly rows: TelemetryRow[];
  /** Line numbers of lines that are not rows of the table. */
  readonly badLines: number[];
}

/**
 * A {@link LogQuerySource} over the local stack's telemetry log: one JSON-lines file per
 * workspace table in `directory` (`AppEvents.jsonl`, `AppServiceHTTPLogs.jsonl`,
 * `AppRequests.jsonl`), run by the local evaluator. A missing file is an empty table.
 *
 * Lines that are not JSON objects fitting the table's schema are skipped, and the result is then a
 * `PartialFailure` saying how many and where, as Log Analytics reports a partial result. A last
 * line without its newline is taken as a write in progress and skipped silently when it does not
 * parse. Files are read in full on every query: fine for a local log, not for a large one.
 */
export class LocalLogQuerySource implements LogQuerySource {
  readonly #directory: string;
  readonly #now: () => Date;

  constructor(directory: string, options: LocalQueryOptions = {}) {
    const { now = () => new Date() } = options;
    this.#directory = directory;
    this.#now = now;
  }

  async query(query: string, timespan: QueryTimespan): Promise<QueryResult> {
    const now = this.#now();
    const { start, end } = resolveTimespan(timespan, now);

    const tables: Partial<Record<WorkspaceTableName, readonly TelemetryRow[]>> = {};
    const skipped: string[] = [];
    for (const name of Object.keys(workspaceTables) as WorkspaceTableName[]) {
      const file = await this.#readTable(name);
      tables[name] = file.rows;
      if (file.badLines.length > 0) {
        skipped.push(
          `${file.badLines.length} line(s) of ${name}.jsonl (first: line ${file.badLines[0]})`,
        );
      }
    }

    const result = evaluateKql(query, {
      tables: rowsWithin(tables, start, end),
      now,
    });
    if (skipped.length === 0) return result;
    return {
      status: 'PartialFailure',
      tables: result.tables,
      partialError: {
        code: 'LOCAL_LOG_LINES_SKIPPED',
        message: `Skipped ${skipped.join(', ')} that are not valid rows; the result leaves them out.`,
      },
    };
  }

  async #readTable(name: WorkspaceTableName): Promise<TableFile> {
    let text: string;
    try {
      text = await readFile(join(this.#directory, `${name}.jsonl`), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { rows: [], badLines: [] };
      throw error;
    }

    const rows: TelemetryRow[] = [];
    const badLines: number[] = [];
    const lines = text.split('\n');
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      const unterminated = index === lines.length - 1;
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch {
        if (!unterminated) badLines.push(index + 1);
        return;
      }
      if (isRow(name, row)) rows.push(row);
      else badLines.push(index + 1);
    });
    return { rows, badLines };
  }
}

function isRow(name: WorkspaceTableName, value: unknown): value is TelemetryRow {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const row = value as TelemetryRow;
  const time = row['TimeGenerated'];
  if (typeof time !== 'string' || toKqlDatetime(time) === null) return false;
  try {
    toTable(name, workspaceTables[name], [row]);
    return true;
  } catch (error) {
    if (error instanceof InvalidTelemetryRowError) return false;
    throw error;
  }
}
