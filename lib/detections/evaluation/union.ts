import { elementsOf, nodesOf } from '../kusto/syntaxLists.js';
import type { ExpressionEvaluator } from './ExpressionEvaluator.js';
import { emptyValueOf, type KqlValue } from './KqlValue.js';
import type { Table } from './Table.js';

/**
 * `union a, b` (outer, Kusto's default), piped or leading. Columns are matched by name; when
 * the same name has different types in the inputs, Kusto renames them `<name>_<type>` and so does
 * this, following the analyzer's result columns. Rows come input by input, in order.
 */
export function union(
  evaluator: ExpressionEvaluator,
  operator: Kusto.Language.Syntax.UnionOperator,
  input: Table | undefined,
): Table {
  const parameter = nodesOf(operator.Parameters)[0];
  if (parameter !== undefined) {
    throw evaluator.unsupported(
      `the union parameter '${parameter.Name?.SimpleName ?? ''}'`,
      parameter,
    );
  }
  const tables = [
    ...(input === undefined ? [] : [input]),
    ...elementsOf(operator.Expressions).map((expression) => evaluator.tabular(expression)),
  ];
  const columns = evaluator.resultColumns(operator);
  const positions = new Map(
    columns.map((column, index) => [`${column.name}:${column.type}`, index]),
  );
  const byName = new Map(columns.map((column, index) => [column.name, index]));

  const rows: KqlValue[][] = [];
  for (const table of tables) {
    const targets = table.columns.map((column) => {
      const target =
        positions.get(`${column.name}:${column.type}`) ??
        byName.get(`${column.name}_${column.type}`);
      if (target === undefined) {
        throw evaluator.invalid(
          `the evaluator cannot place the union column ${column.name}`,
          operator,
        );
      }
      return target;
    });
    for (const source of table.rows) {
      const row = columns.map((column) => emptyValueOf(column.type));
      source.forEach((value, index) => {
        row[targets[index] ?? -1] = value;
      });
      rows.push(row);
    }
  }
  return { columns, rows };
}
