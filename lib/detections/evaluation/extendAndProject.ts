import { elementsOf } from '../kusto/syntaxLists.js';
import type { ExpressionEvaluator } from './ExpressionEvaluator.js';
import { emptyValueOf, type KqlValue } from './KqlValue.js';
import { positionsOf, type Table } from './Table.js';

type Expression = Kusto.Language.Syntax.Expression;

/**
 * `extend`: each expression adds a column, or replaces the one of the same name. Later
 * expressions see the columns earlier ones made (`extend a = 1, b = a + 1`). Unnamed expressions
 * take the names the analyzer gives them (`Properties_keyId`, `Column1`).
 */
export function extend(
  evaluator: ExpressionEvaluator,
  operator: Kusto.Language.Syntax.ExtendOperator,
  input: Table,
): Table {
  const columns = evaluator.resultColumns(operator);
  const positions = positionsOf(columns);
  const inputNames = new Set(input.columns.map((column) => column.name));
  const newNames = columns.map((column) => column.name).filter((name) => !inputNames.has(name));

  let nextNew = 0;
  const targets = elementsOf(operator.Expressions).map((expression) => {
    const declared = declaredName(evaluator, expression);
    let name: string | undefined;
    if (declared !== undefined && inputNames.has(declared)) name = declared;
    else name = newNames[nextNew++];
    if (name === undefined || (declared !== undefined && name !== declared)) {
      throw evaluator.invalid('the evaluator cannot place this column of extend', expression);
    }
    return { expression, position: positions.get(name) ?? -1 };
  });

  const carried = input.columns.map((column) => positions.get(column.name) ?? -1);
  const rows = input.rows.map((inputRow) => {
    const row: KqlValue[] = columns.map((column) => emptyValueOf(column.type));
    inputRow.forEach((value, index) => {
      row[carried[index] ?? -1] = value;
    });
    for (const target of targets) {
      row[target.position] = evaluator.scalar(target.expression, { positions, row });
    }
    return row;
  });
  return { columns, rows };
}

/** `project`: exactly the listed columns or expressions, in order. */
export function project(
  evaluator: ExpressionEvaluator,
  operator: Kusto.Language.Syntax.ProjectOperator,
  input: Table,
): Table {
  const columns = evaluator.resultColumns(operator);
  const expressions = elementsOf(operator.Expressions);
  for (const expression of expressions) declaredName(evaluator, expression);
  if (expressions.length !== columns.length) {
    throw evaluator.unsupported(
      'this project list (an expression that makes several columns)',
      operator,
    );
  }
  const positions = positionsOf(input.columns);
  const rows = input.rows.map((row) =>
    expressions.map((expression) => evaluator.scalar(expression, { positions, row })),
  );
  return { columns, rows };
}

/** The column name an expression declares (`Name = ...`), undefined when it declares none. */
function declaredName(evaluator: ExpressionEvaluator, expression: Expression): string | undefined {
  const Syntax = evaluator.kusto.Syntax;
  if (expression instanceof Syntax.SimpleNamedExpression) return expression.Name?.SimpleName ?? '';
  if (expression instanceof Syntax.CompoundNamedExpression) {
    throw evaluator.unsupported('naming several columns at once (`(a, b) = ...`)', expression);
  }
  if (expression instanceof Syntax.StarExpression) throw evaluator.unsupported('`*`', expression);
  return undefined;
}
