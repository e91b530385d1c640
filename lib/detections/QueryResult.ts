import type { KqlTypeName } from './workspaceSchema.js';

/**
 * One cell of a query result, shaped as `@azure/monitor-query-logs` returns them: datetime → Date,
 * dynamic → the parsed JSON value, int / long / real → number, bool → boolean, string → string,
 * timespan → Kusto's text form (`00:05:00`); null where Kusto has null.
 */
export type QueryCell =
  | null
  | string
  | number
  | boolean
  | Date
  | readonly QueryCell[]
  | { readonly [key: string]: QueryCell };

export interface QueryColumn {
  readonly name: string;
  readonly type: KqlTypeName;
}

/** A result table, like a Log Analytics table (`PrimaryResult` for a query's result). */
export interface QueryTable {
  readonly name: string;
  readonly columns: readonly QueryColumn[];
  readonly rows: readonly (readonly QueryCell[])[];
}

/** Why only part of a result came back: the service's error code and message, or the local log's. */
export interface QueryPartialError {
  readonly code: string;
  readonly message: string;
}

/**
 * The result of a log query. A partial failure is a result, not an exception: it carries the
 * tables that did come back and the error, and the caller decides whether rows from a partial
 * result may raise alerts.
 */
export type QueryResult =
  | { readonly status: 'Success'; readonly tables: readonly QueryTable[] }
  | {
      readonly status: 'PartialFailure';
      readonly tables: readonly QueryTable[];
      readonly partialError: QueryPartialError;
    };

/** The rows of `table` as objects keyed by column name, for assertions and alert payloads. */
export function rowsAsObjects(table: QueryTable): Record<string, QueryCell>[] {
  return table.rows.map((row) => {
    const record: Record<string, QueryCell> = {};
    table.columns.forEach((column, index) => {
      record[column.name] = row[index] ?? null;
    });
    return record;
  });
}
