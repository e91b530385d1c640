import { elementsOf, nodesOf } from '../kusto/syntaxLists.js';
import type { ExpressionEvaluator } from './ExpressionEvaluator.js';
import { compareValues, type KqlValue } from './KqlValue.js';
import { positionsOf, type Table } from './Table.js';

type Expression = Kusto.Language.Syntax.Expression;

interface SortKey {
  readonly expression: Expression | null;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

/** `order by` / `sort by`: descending unless `asc`; nulls first ascending, last descending. */
export function sort(
  evaluator: ExpressionEvaluator,
  operator: Kusto.Language.Syntax.SortOperator,
  input: Table,
): Table {
  requireNoParameters(evaluator, operator.Parameters);
  const keys = elementsOf(operator.Expressions).map((expression) =>
    sortKeyOf(evaluator, expression),
  );
  return { columns: input.columns, rows: sortedRows(evaluator, keys, input) };
}

/** `top N by key`: the first N rows in the key's order (descending unless `asc`). */
export function top(
  evaluator: ExpressionEvaluator,
  operator: Kusto.Language.Syntax.TopOperator,
  input: Table,
): Table {
  requireNoParameters(evaluator, operator.Parameters);
  const count = countOf(evaluator, operator.Expression);
  if (operator.ByExpression === null) throw evaluator.unsupported('top without by', operator);
  const rows = sortedRows(evaluator, [sortKeyOf(evaluator, operator.ByExpression)], input);
  return { columns: input.columns, rows: rows.slice(0, count) };
}

/** `take N` / `limit N`: the first N rows as they come. */
export function take(
  evaluator: ExpressionEvaluator,
  operator: Kusto.Language.Syntax.TakeOperator,
  input: Table,
): Table {
  requireNoParameters(evaluator, operator.Parameters);
  return {
    columns: input.columns,
    rows: input.rows.slice(0, countOf(evaluator, operator.Expression)),
  };
}

function sortKeyOf(evaluator: ExpressionEvaluator, expression: Expression): SortKey {
  if (!(expression instanceof evaluator.kusto.Syntax.OrderedExpression)) {
    return { expression, descending: true, nullsFirst: false };
  }
  const ordering = expression.Ordering;
  const descending = ordering?.AscOrDescKeyword?.Text?.toLowerCase() !== 'asc';
  const nulls = ordering?.NullsClause?.FirstOrLastKeyword?.Text?.toLowerCase();
  return {
    expression: expression.Expression,
    descending,
    nullsFirst: nulls === undefined ? !descending : nulls === 'first',
  };
}

function sortedRows(
  evaluator: ExpressionEvaluator,
  keys: readonly SortKey[],
  input: Table,
): (readonly KqlValue[])[] {
  const positions = positionsOf(input.columns);
  const decorated = input.rows.map((row) => ({
    row,
    values: keys.map((key) => evaluator.scalar(key.expression, { positions, row })),
  }));
  // Array.prototype.sort is stable, so rows with equal keys keep their order.
  decorated.sort((a, b) => {
    for (const [index, key] of keys.entries()) {
      const left = a.values[index] ?? null;
      const right = b.values[index] ?? null;
      if (left === null || right === null) {
        if (left === right) continue;
        return (left === null) === key.nullsFirst ? -1 : 1;
      }
      const order = compareValues(left, right);
      if (order !== 0) return key.descending ? -order : order;
    }
    return 0;
  });
  return decorated.map(({ row }) => row);
}

function countOf(evaluator: ExpressionEvaluator, expression: Expression | null): number {
  const count = evaluator.scalar(expression, undefined);
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    throw evaluator.invalid('the row count is not a whole number of zero or more', expression);
  }
  return count;
}

function requireNoParameters(
  evaluator: ExpressionEvaluator,
  parameters: Kusto.Language.Syntax.SyntaxList$1<Kusto.Language.Syntax.NamedParameter> | null,
): void {
  const first = nodesOf(parameters)[0];
  if (first !== undefined) {
    throw evaluator.unsupported(`the parameter '${first.Name?.SimpleName ?? ''}'`, first);
  }
}
