import { analyzeKql } from './analyzeKql.js';
import type { DetectionDefinition } from './DetectionDefinition.js';
import type { KqlProblem } from './KqlProblem.js';
import { lintComparisonTypes } from './lintComparisonTypes.js';
import { lintSampledCounts } from './lintSampledCounts.js';
import type { ColumnSchema, WorkspaceTableName } from './workspaceSchema.js';

/** What checking a query found. A query is fit to ship when `problems` is empty. */
export interface QueryCheck {
  /** Analyzer errors and warnings, then lint findings. */
  readonly problems: readonly KqlProblem[];
  readonly tablesRead: readonly WorkspaceTableName[];
  /** The result's columns, or undefined when the result is not a table. */
  readonly resultColumns: readonly ColumnSchema[] | undefined;
}

/** {@link QueryCheck} for one detection, with the checks of its metadata against its query. */
export interface DetectionCheck extends QueryCheck {
  readonly id: string;
}

/**
 * Checks `query` with Microsoft's Kusto.Language against the declared workspace tables, then with
 * this project's lint: comparisons between different types (which the analyzer lets through) and
 * `count()` over sampled tables. The lint runs only when the analyzer finds no error.
 */
export function checkQuery(query: string): QueryCheck {
  const analysis = analyzeKql(query);
  const analyzerFailed = analysis.problems.some((problem) => problem.severity === 'error');
  const lint = analyzerFailed
    ? []
    : [...lintComparisonTypes(analysis), ...lintSampledCounts(analysis)];
  return {
    problems: [...analysis.problems, ...lint],
    tablesRead: analysis.tablesRead,
    resultColumns: analysis.resultColumns,
  };
}

/**
 * {@link checkQuery} for a detection's query, plus its metadata against what the query does:
 * `tables` must be exactly the tables read, the result must be a table holding every `groupBy`
 * column, and an automatic containment column must hold strings.
 */
export function checkDetection(definition: DetectionDefinition): DetectionCheck {
  const check = checkQuery(definition.query);
  const problems = [...check.problems];
  const definitionProblem = (code: string, message: string) =>
    problems.push({ source: 'definition', code, severity: 'error', message });

  if (
    check.problems.some((problem) => problem.source === 'analyzer' && problem.severity === 'error')
  ) {
    return { id: definition.id, ...check, problems };
  }

  const declared = [...definition.tables].sort().join(', ');
  const read = check.tablesRead.join(', ');
  if (declared !== read) {
    definitionProblem(
      'DETECTION_TABLES_MISMATCH',
      `the metadata declares tables [${declared}] but the query reads [${read}]`,
    );
  }

  const columns = check.resultColumns;
  if (columns === undefined) {
    definitionProblem('DETECTION_RESULT_NOT_TABLE', 'the query must end in a table, not a scalar');
  } else {
    const byName = new Map(columns.map((column) => [column.name, column.type]));
    for (const column of definition.groupBy) {
      if (!byName.has(column)) {
        definitionProblem(
          'DETECTION_GROUP_BY_UNKNOWN',
          `groupBy names ${column}, which is not a result column`,
        );
      }
    }
    const containment =
      definition.kind === 'detection' ? definition.automaticContainment : undefined;
    if (containment !== undefined && byName.get(containment.column) !== 'string') {
      definitionProblem(
        'DETECTION_CONTAINMENT_COLUMN',
        `automaticContainment reads ${containment.column}, which must be a string result column`,
      );
    }
  }
  return { id: definition.id, ...check, problems };
}
