import { elementsOf, nodesOf } from '../kusto/syntaxLists.js';
import { workspaceGlobals } from '../kusto/workspaceGlobals.js';
import { aggregateFunctions, type Accumulator } from './aggregateFunctions.js';
import type { ExpressionEvaluator } from './ExpressionEvaluator.js';
import { valueKey, type KqlValue } from './KqlValue.js';
import { positionsOf, type Table } from './Table.js';

type Expression = Kusto.Language.Syntax.Expression;

interface Group {
  readonly keys: readonly KqlValue[];
  readonly accumulators: readonly Accumulator[];
}

/**
 * `summarize aggregates by keys`. Each aggregate clause must be one aggregate call, optionally
 * named (`n = sum(ItemCount)`); an expression around an aggregate is reported as unsupported.
 * Without `by`, empty input still gives one row, of each aggregate's value over nothing
 * (0 for counts and sums, [] for sets, null otherwise), as in Kusto.
 */
export function summarize(
  evaluator: ExpressionEvaluator,
  operator: Kusto.Language.Syntax.SummarizeOperator,
  input: Table,
): Table {
  const Syntax = evaluator.kusto.Syntax;
  const parameter = nodesOf(operator.Parameters)[0];
  if (parameter !== undefined) {
    throw evaluator.unsupported(
      `the summarize parameter '${parameter.Name?.SimpleName ?? ''}'`,
      parameter,
    );
  }
  if (operator.ByClause?.BinClause != null) {
    throw evaluator.unsupported('the `bin =` clause of summarize', operator.ByClause.BinClause);
  }

  const keyExpressions = elementsOf(operator.ByClause?.Expressions ?? null);
  const aggregates = elementsOf(operator.Aggregates).map((clause) => {
    const call = clause instanceof Syntax.SimpleNamedExpression ? clause.Expression : clause;
    if (clause instanceof Syntax.CompoundNamedExpression) {
      throw evaluator.unsupported('naming several columns at once (`(a, b) = ...`)', clause);
    }
    const symbol = call instanceof Syntax.FunctionCallExpression ? call.ReferencedSymbol : null;
    if (
      !(call instanceof Syntax.FunctionCallExpression) ||
      !(symbol instanceof evaluator.kusto.Symbols.FunctionSymbol) ||
      !workspaceGlobals().IsAggregateFunction(symbol)
    ) {
      throw evaluator.unsupported('an expression around an aggregate in summarize', clause);
    }
    const name = symbol.Name ?? '';
    const aggregate = aggregateFunctions.get(name);
    if (aggregate === undefined) throw evaluator.unsupported(`the aggregate '${name}'`, call);
    const argumentNodes: Expression[] = elementsOf(call.ArgumentList?.Expressions ?? null);
    const star = argumentNodes.find((node) => node instanceof Syntax.StarExpression);
    if (star !== undefined) throw evaluator.unsupported(`\`*\` in ${name}()`, star);
    return { aggregate, argumentNodes, call };
  });

  const columns = evaluator.resultColumns(operator);
  const width =
    keyExpressions.length +
    aggregates.reduce(
      (sum, { aggregate, argumentNodes }) => sum + aggregate.columnCount(argumentNodes.length),
      0,
    );
  if (width !== columns.length) {
    throw evaluator.invalid('the evaluator cannot place the columns of this summarize', operator);
  }

  const newGroup = (keys: readonly KqlValue[]): Group => ({
    keys,
    accumulators: aggregates.map(({ aggregate, argumentNodes }) =>
      aggregate.create(argumentNodes.length),
    ),
  });
  const positions = positionsOf(input.columns);
  const groups = new Map<string, Group>();
  for (const row of input.rows) {
    const context = { positions, row };
    const keys = keyExpressions.map((expression) => evaluator.scalar(expression, context));
    const groupKey = keys.map((key) => valueKey(key)).join('\u0000');
    let group = groups.get(groupKey);
    if (group === undefined) {
      group = newGroup(keys);
      groups.set(groupKey, group);
    }
    group.accumulators.forEach((accumulator, index) => {
      const aggregate = aggregates[index];
      if (aggregate === undefined) return;
      const values = aggregate.argumentNodes.map((node) => evaluator.scalar(node, context));
      try {
        accumulator.add(values);
      } catch (error) {
        throw evaluator.placed(error, aggregate.call);
      }
    });
  }
  if (keyExpressions.length === 0 && groups.size === 0) groups.set('', newGroup([]));

  const rows = [...groups.values()].map((group) => [
    ...group.keys,
    ...group.accumulators.flatMap((accumulator) => accumulator.results()),
  ]);
  return { columns, rows };
}
