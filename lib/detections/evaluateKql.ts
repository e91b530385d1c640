import { analyzeKql, type KqlAnalysis } from './analyzeKql.js';
import { KqlAnalysisError } from './errors/KqlAnalysisError.js';
import { toJson } from './evaluation/conversions.js';
import { Timespan, type KqlValue } from './evaluation/KqlValue.js';
import { QueryEvaluator } from './evaluation/QueryEvaluator.js';
import type { Table } from './evaluation/Table.js';
import { toTable, type TelemetryRow } from './evaluation/toTable.js';
import { loadKustoLanguage } from './kusto/loadKustoLanguage.js';
import type { QueryCell, QueryResult } from './QueryResult.js';
import { workspaceTables, type KqlTypeName, type WorkspaceTableName } from './workspaceSchema.js';

export type { TelemetryRow } from './evaluation/toTable.js';

/** Rows per workspace table, as JSON gives them; a table left out is empty. */
export type TelemetryTables = Readonly<
  Partial<Record<WorkspaceTableName, readonly TelemetryRow[]>>
>;

/** Options for {@link evaluateKql}. */
export interface EvaluateKqlOptions {
  /** The rows the query reads. */
  readonly tables: TelemetryTables;
  /** The instant `now()` and `ago()` read, fixed for the whole query. */
  readonly now: Date;
}

/**
 * Runs `query` over in-memory rows with the local subset evaluator and returns the result as
 * Log Analytics shapes it (one table, `PrimaryResult`).
 *
 * The query is first analysed with Microsoft's Kusto.Language; any analyzer error throws
 * {@link KqlAnalysisError}. Then the syntax tree is walked: a construct the evaluator does not
 * implement throws {@link UnsupportedKqlError} naming it and its line and column, and a
 * comparison between different types throws {@link KqlEvaluationError}: nothing is guessed.
 *
 * Semantics that differ from the engine: `dcount` is exact (Kusto estimates), group and
 * `make_set` order is first-seen (Kusto's is unspecified), datetimes keep milliseconds (Kusto
 * keeps 100 ns ticks), and cross-type comparisons are refused (Kusto may coerce).
 */
export function evaluateKql(query: string, options: EvaluateKqlOptions): QueryResult {
  return evaluateAnalysedKql(analyzeKql(query), options);
}

/** {@link evaluateKql} for a query already analysed with {@link analyzeKql}. */
export function evaluateAnalysedKql(
  analysis: KqlAnalysis,
  options: EvaluateKqlOptions,
): QueryResult {
  const errors = analysis.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) throw new KqlAnalysisError(errors);

  const loaded = new Map<WorkspaceTableName, Table>();
  const tableNamed = (name: WorkspaceTableName): Table => {
    let table = loaded.get(name);
    if (table === undefined) {
      table = toTable(name, workspaceTables[name], options.tables[name] ?? []);
      loaded.set(name, table);
    }
    return table;
  };

  const evaluator = new QueryEvaluator(
    loadKustoLanguage(),
    analysis.query,
    options.now,
    tableNamed,
  );
  const result = evaluator.run(analysis.code.Syntax);
  return {
    status: 'Success',
    tables: [
      {
        name: 'PrimaryResult',
        columns: result.columns,
        rows: result.rows.map((row) =>
          row.map((value, index) => toCell(value, result.columns[index]?.type ?? 'dynamic')),
        ),
      },
    ],
  };
}

function toCell(value: KqlValue, type: KqlTypeName): QueryCell {
  if (value === null) return null;
  if (value instanceof Date) return new Date(value.getTime());
  if (value instanceof Timespan) return value.toString();
  if (type === 'dynamic') return toJson(value) as QueryCell;
  return value as QueryCell;
}
