import { elementsOf, nodesOf } from '../kusto/syntaxLists.js';
import type { ExpressionEvaluator } from './ExpressionEvaluator.js';
import { emptyValueOf, valueKey, type KqlValue } from './KqlValue.js';
import { positionsOf, type Table } from './Table.js';

type JoinKind = 'inner' | 'leftouter' | 'leftanti' | 'leftsemi';
const supportedKinds: readonly string[] = ['inner', 'leftouter', 'leftanti', 'leftsemi'];

/**
 * `join kind=inner|leftouter|leftanti|leftsemi (right) on key, $left.a == $right.b`. The kind
 * must be written: Kusto's default, innerunique, keeps one arbitrary left row per key, which
 * an evaluator cannot reproduce. Null keys match nothing.
 */
export function join(
  evaluator: ExpressionEvaluator,
  operator: Kusto.Language.Syntax.JoinOperator,
  left: Table,
): Table {
  const kind = joinKindOf(evaluator, operator);
  const right = evaluator.tabular(operator.Expression);
  const keyPairs = keyPairsOf(evaluator, operator);
  const leftPositions = positionsOf(left.columns);
  const rightPositions = positionsOf(right.columns);
  const leftKeys = keyPairs.map(([name]) => leftPositions.get(name) ?? -1);
  const rightKeys = keyPairs.map(([, name]) => rightPositions.get(name) ?? -1);

  const columns = evaluator.resultColumns(operator);
  const keepsRight = kind === 'inner' || kind === 'leftouter';
  const expectedWidth = left.columns.length + (keepsRight ? right.columns.length : 0);
  if (columns.length !== expectedWidth || [...leftKeys, ...rightKeys].includes(-1)) {
    throw evaluator.invalid('the evaluator cannot place the columns of this join', operator);
  }

  const rightByKey = new Map<string, (readonly KqlValue[])[]>();
  for (const row of right.rows) {
    const key = keyOf(row, rightKeys);
    if (key === undefined) continue;
    const matches = rightByKey.get(key) ?? [];
    matches.push(row);
    rightByKey.set(key, matches);
  }

  const unmatchedRight = columns
    .slice(left.columns.length)
    .map((column) => emptyValueOf(column.type));
  const rows: (readonly KqlValue[])[] = [];
  for (const row of left.rows) {
    const key = keyOf(row, leftKeys);
    const matches = key === undefined ? [] : (rightByKey.get(key) ?? []);
    if (kind === 'leftanti') {
      if (matches.length === 0) rows.push(row);
    } else if (kind === 'leftsemi') {
      if (matches.length > 0) rows.push(row);
    } else if (matches.length > 0) {
      for (const match of matches) rows.push([...row, ...match]);
    } else if (kind === 'leftouter') {
      rows.push([...row, ...unmatchedRight]);
    }
  }
  return { columns, rows };
}

function keyOf(row: readonly KqlValue[], positions: readonly number[]): string | undefined {
  const values = positions.map((position) => row[position] ?? null);
  if (values.includes(null)) return undefined;
  return values.map((value) => valueKey(value)).join('\u0000');
}

function joinKindOf(
  evaluator: ExpressionEvaluator,
  operator: Kusto.Language.Syntax.JoinOperator,
): JoinKind {
  const Trivia = evaluator.kusto.Syntax.IncludeTrivia;
  let kind: string | undefined;
  for (const parameter of nodesOf(operator.Parameters)) {
    const name = parameter.Name?.SimpleName ?? '';
    if (name !== 'kind') throw evaluator.unsupported(`the join parameter '${name}'`, parameter);
    kind = (parameter.Expression?.ToString(Trivia.SingleLine) ?? '').trim().toLowerCase();
  }
  if (kind === undefined) {
    throw evaluator.unsupported(
      "join without kind= (Kusto's default innerunique keeps an arbitrary left row per key)",
      operator,
    );
  }
  if (!supportedKinds.includes(kind)) {
    throw evaluator.unsupported(`join kind=${kind}`, operator);
  }
  return kind as JoinKind;
}

/** The (left column, right column) pairs the join matches on. */
function keyPairsOf(
  evaluator: ExpressionEvaluator,
  operator: Kusto.Language.Syntax.JoinOperator,
): [string, string][] {
  const Syntax = evaluator.kusto.Syntax;
  const condition = operator.ConditionClause;
  if (!(condition instanceof Syntax.JoinOnClause)) {
    throw evaluator.unsupported('this join condition (only `on` is evaluated)', condition);
  }
  return elementsOf(condition.Expressions).map((expression): [string, string] => {
    if (expression instanceof Syntax.NameReference) {
      const name = expression.SimpleName ?? '';
      return [name, name];
    }
    if (expression instanceof Syntax.BinaryExpression && expression.Operator?.Text === '==') {
      const sides = [expression.Left, expression.Right].map((side) => sideOf(evaluator, side));
      const leftSide = sides.find((side) => side?.[0] === '$left');
      const rightSide = sides.find((side) => side?.[0] === '$right');
      if (leftSide !== undefined && rightSide !== undefined) return [leftSide[1], rightSide[1]];
    }
    throw evaluator.unsupported(
      'this join key (use `Column` or `$left.a == $right.b`)',
      expression,
    );
  });
}

function sideOf(
  evaluator: ExpressionEvaluator,
  expression: Kusto.Language.Syntax.Expression | null,
): [string, string] | undefined {
  const Syntax = evaluator.kusto.Syntax;
  if (!(expression instanceof Syntax.PathExpression)) return undefined;
  const base = expression.Expression;
  const selector = expression.Selector;
  if (!(selector instanceof Syntax.NameReference)) return undefined;
  const side = base?.ToString(Syntax.IncludeTrivia.SingleLine)?.trim() ?? '';
  return [side, selector.SimpleName ?? ''];
}
