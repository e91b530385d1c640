import type { KqlEvaluationError } from '../errors/KqlEvaluationError.js';
import type { UnsupportedKqlError } from '../errors/UnsupportedKqlError.js';
import type { KustoLanguage } from '../kusto/loadKustoLanguage.js';
import type { ColumnSchema } from '../workspaceSchema.js';
import type { KqlValue } from './KqlValue.js';
import type { RowContext, Table } from './Table.js';

type Expression = Kusto.Language.Syntax.Expression;
type SyntaxElement = Kusto.Language.Syntax.SyntaxElement;

/** What the tabular operators need from the evaluator that runs them. */
export interface ExpressionEvaluator {
  readonly kusto: KustoLanguage;
  /** Evaluates a scalar expression over one row (or none, for `let` values and constants). */
  scalar(expression: Expression | null, row: RowContext | undefined): KqlValue;
  /** Evaluates a tabular expression: a table, a `let` name, a pipe. */
  tabular(expression: Expression | null): Table;
  /** The columns the analyzer gives `node`'s result, in order. */
  resultColumns(node: Expression): readonly ColumnSchema[];
  /** The error for a construct the evaluator does not implement, placed at `node`. */
  unsupported(construct: string, node: SyntaxElement | null): UnsupportedKqlError;
  /** The error for a query that cannot be evaluated as written, placed at `node`. */
  invalid(problem: string, node: SyntaxElement | null): KqlEvaluationError;
  /**
   * `error` placed at `node` when it is a problem raised by a value-level helper (which does not
   * know where it is); any other error unchanged.
   */
  placed(error: unknown, node: SyntaxElement | null): unknown;
}
