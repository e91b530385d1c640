import { columnsOf } from '../analyzeKql.js';
import { KqlEvaluationError } from '../errors/KqlEvaluationError.js';
import { positionAt } from '../errors/SourcePosition.js';
import { UnsupportedKqlError } from '../errors/UnsupportedKqlError.js';
import type { KustoLanguage } from '../kusto/loadKustoLanguage.js';
import { elementsOf, nodesOf } from '../kusto/syntaxLists.js';
import type { ColumnSchema, WorkspaceTableName } from '../workspaceSchema.js';
import { isWorkspaceTableName } from '../workspaceSchema.js';
import { aggregateFunctions } from './aggregateFunctions.js';
import { applyBinaryOperator, isSupportedBinaryOperator, valuesEqual } from './binaryOperators.js';
import { EvaluationProblem } from './EvaluationProblem.js';
import type { ExpressionEvaluator } from './ExpressionEvaluator.js';
import { extend, project } from './extendAndProject.js';
import { join } from './join.js';
import { isDynamicContainer, Timespan, type KqlValue } from './KqlValue.js';
import { literalValue } from './literals.js';
import { scalarFunctions } from './scalarFunctions.js';
import { sort, take, top } from './sortRows.js';
import { summarize } from './summarize.js';
import { positionsOf, type RowContext, type Table } from './Table.js';
import { union } from './union.js';

type Syntax = typeof Kusto.Language.Syntax;
type Expression = Kusto.Language.Syntax.Expression;
type SyntaxNode = Kusto.Language.Syntax.SyntaxNode;

type Binding = { readonly table: Table } | { readonly value: KqlValue };

/**
 * Walks an analysed query's syntax tree over in-memory tables. One instance evaluates one query:
 * it holds the query's `let` bindings and the results of its `toscalar()` calls.
 */
export class QueryEvaluator implements ExpressionEvaluator {
  readonly kusto: KustoLanguage;
  readonly #syntax: Syntax;
  readonly #query: string;
  readonly #now: Date;
  readonly #tableNamed: (name: WorkspaceTableName) => Table;
  readonly #bindings = new Map<string, Binding>();
  readonly #memo = new Map<SyntaxNode, KqlValue | Table>();

  constructor(
    kusto: KustoLanguage,
    query: string,
    now: Date,
    tableNamed: (name: WorkspaceTableName) => Table,
  ) {
    this.kusto = kusto;
    this.#syntax = kusto.Syntax;
    this.#query = query;
    this.#now = now;
    this.#tableNamed = tableNamed;
  }

  /** Runs the query's statements and returns its one result table. */
  run(root: SyntaxNode | null): Table {
    const S = this.#syntax;
    if (!(root instanceof S.QueryBlock)) throw this.unsupported('this kind of query', root);
    if ((root.Directives?.Count ?? 0) > 0) throw this.unsupported('directives', root);

    let result: Table | undefined;
    for (const statement of elementsOf(root.Statements)) {
      if (statement instanceof S.LetStatement) {
        this.#bind(statement);
      } else if (statement instanceof S.ExpressionStatement) {
        if (result !== undefined) throw this.unsupported('a second result statement', statement);
        result = this.tabular(statement.Expression);
      } else {
        throw this.unsupported(`the statement '${firstWord(statement)}'`, statement);
      }
    }
    if (result === undefined) throw this.unsupported('a query without a result', root);
    return result;
  }

  tabular(expression: Expression | null): Table {
    const S = this.#syntax;
    if (expression instanceof S.PipeExpression) {
      return this.#operator(expression.Operator, this.tabular(expression.Expression));
    }
    if (expression instanceof S.ParenthesizedExpression) return this.tabular(expression.Expression);
    if (expression instanceof S.NameReference) return this.#namedTable(expression);
    if (expression instanceof S.UnionOperator) return union(this, expression, undefined);
    throw this.unsupported(describe(this.kusto, expression), expression);
  }

  scalar(expression: Expression | null, row: RowContext | undefined): KqlValue {
    if (expression === null) throw this.invalid('an expression is missing', expression);
    let value: KqlValue;
    try {
      value = this.#scalarValue(expression, row);
    } catch (error) {
      throw this.placed(error, expression);
    }
    // Kusto strings are never null: an absent string is the empty string.
    return value === null && expression.ResultType?.Name === 'string' ? '' : value;
  }

  resultColumns(node: Expression): readonly ColumnSchema[] {
    const columns = columnsOf(node.ResultType);
    if (columns === undefined) throw this.invalid('the analyzer gives it no table type', node);
    return columns;
  }

  unsupported(
    construct: string,
    node: Kusto.Language.Syntax.SyntaxElement | null,
  ): UnsupportedKqlError {
    return new UnsupportedKqlError(construct, positionAt(this.#query, node?.TextStart ?? 0));
  }

  invalid(problem: string, node: Kusto.Language.Syntax.SyntaxElement | null): KqlEvaluationError {
    return new KqlEvaluationError(problem, positionAt(this.#query, node?.TextStart ?? 0));
  }

  placed(error: unknown, node: Kusto.Language.Syntax.SyntaxElement | null): unknown {
    if (!(error instanceof EvaluationProblem)) return error;
    return error.kind === 'unsupported'
      ? this.unsupported(error.message, node)
      : this.invalid(error.message, node);
  }

  #bind(statement: Kusto.Language.Syntax.LetStatement): void {
    const S = this.#syntax;
    const name = statement.Name?.SimpleName ?? '';
    const expression = statement.Expression;
    if (expression instanceof S.FunctionDeclaration) {
      throw this.unsupported('user-defined functions (`let f = (...) { ... }`)', expression);
    }
    if (expression?.ResultType instanceof this.kusto.Symbols.TableSymbol) {
      this.#bindings.set(name, { table: this.tabular(expression) });
    } else {
      this.#bindings.set(name, { value: this.scalar(expression, undefined) });
    }
  }

  #namedTable(reference: Kusto.Language.Syntax.NameReference): Table {
    const Symbols = this.kusto.Symbols;
    const name = reference.SimpleName ?? '';
    const symbol = reference.ReferencedSymbol;
    if (symbol instanceof Symbols.VariableSymbol) {
      const binding = this.#bindings.get(name);
      if (binding !== undefined && 'table' in binding) return binding.table;
    } else if (symbol instanceof Symbols.TableSymbol && isWorkspaceTableName(name)) {
      return this.#tableNamed(name);
    }
    throw this.unsupported(`the table reference '${name}'`, reference);
  }

  #operator(operator: Kusto.Language.Syntax.QueryOperator | null, input: Table): Table {
    const S = this.#syntax;
    if (operator instanceof S.FilterOperator) {
      this.#requireNoParameters(operator.Parameters, operator);
      return this.#where(operator.Condition, input);
    }
    if (operator instanceof S.ExtendOperator) return extend(this, operator, input);
    if (operator instanceof S.ProjectOperator) return project(this, operator, input);
    if (operator instanceof S.SummarizeOperator) return summarize(this, operator, input);
    if (operator instanceof S.SortOperator) return sort(this, operator, input);
    if (operator instanceof S.TopOperator) return top(this, operator, input);
    if (operator instanceof S.TakeOperator) return take(this, operator, input);
    if (operator instanceof S.UnionOperator) return union(this, operator, input);
    if (operator instanceof S.JoinOperator) return join(this, operator, input);
    throw this.unsupported(
      `the operator '${operator === null ? '' : firstWord(operator)}'`,
      operator,
    );
  }

  #requireNoParameters(
    parameters: Kusto.Language.Syntax.SyntaxList$1<Kusto.Language.Syntax.NamedParameter> | null,
    operator: SyntaxNode,
  ): void {
    const first = nodesOf(parameters)[0];
    if (first !== undefined) {
      throw this.unsupported(
        `the parameter '${first.Name?.SimpleName ?? ''}' of '${firstWord(operator)}'`,
        first,
      );
    }
  }

  #where(condition: Expression | null, input: Table): Table {
    const positions = positionsOf(input.columns);
    const rows = input.rows.filter((row) => {
      const value = this.scalar(condition, { positions, row });
      if (value !== null && typeof value !== 'boolean') {
        throw this.invalid('the `where` condition is not a bool', condition);
      }
      return value === true;
    });
    return { columns: input.columns, rows };
  }

  #scalarValue(expression: Expression, row: RowContext | undefined): KqlValue {
    const S = this.#syntax;
    if (expression instanceof S.LiteralExpression) return this.#literal(expression);
    if (expression instanceof S.NameReference) return this.#scalarNamed(expression, row);
    if (expression instanceof S.ParenthesizedExpression)
      return this.scalar(expression.Expression, row);
    if (expression instanceof S.SimpleNamedExpression)
      return this.scalar(expression.Expression, row);
    if (expression instanceof S.PathExpression) return this.#member(expression, row);
    if (expression instanceof S.ElementExpression) return this.#element(expression, row);
    if (expression instanceof S.BinaryExpression) return this.#binary(expression, row);
    if (expression instanceof S.InExpression) return this.#in(expression, row);
    if (expression instanceof S.PrefixUnaryExpression) return this.#negate(expression, row);
    if (expression instanceof S.FunctionCallExpression) return this.#call(expression, row);
    if (expression instanceof S.ToScalarExpression) return this.#toScalar(expression);
    throw this.unsupported(describe(this.kusto, expression), expression);
  }

  #literal(literal: Kusto.Language.Syntax.LiteralExpression): KqlValue {
    const known = this.#memo.get(literal);
    if (known !== undefined) return known as KqlValue;
    const value = literalValue(
      literal.ResultType?.Name ?? '',
      literal.LiteralValueInfo?.ValueText ?? null,
      literal.LiteralValue as unknown,
    );
    this.#memo.set(literal, value);
    return value;
  }

  #scalarNamed(reference: Kusto.Language.Syntax.NameReference, row: RowContext | undefined) {
    const Symbols = this.kusto.Symbols;
    const name = reference.SimpleName ?? '';
    const symbol = reference.ReferencedSymbol;
    if (symbol instanceof Symbols.ColumnSymbol && row !== undefined) {
      const position = row.positions.get(name);
      if (position !== undefined) return row.row[position] ?? null;
    }
    if (symbol instanceof Symbols.VariableSymbol) {
      const binding = this.#bindings.get(name);
      if (binding !== undefined && 'value' in binding) return binding.value;
    }
    throw this.unsupported(`the name reference '${name}' here`, reference);
  }

  #member(path: Kusto.Language.Syntax.PathExpression, row: RowContext | undefined): KqlValue {
    if (path.Expression?.ResultType?.Name !== 'dynamic') {
      throw this.unsupported('member access on a value that is not dynamic', path);
    }
    const selector = path.Selector;
    if (!(selector instanceof this.#syntax.NameReference)) {
      throw this.unsupported('this member selector', selector);
    }
    return memberOf(this.scalar(path.Expression, row), selector.SimpleName ?? '');
  }

  #element(element: Kusto.Language.Syntax.ElementExpression, row: RowContext | undefined) {
    const selector = element.Selector;
    if (!(selector instanceof this.#syntax.BracketedExpression)) {
      throw this.unsupported('this element selector', selector);
    }
    const base = this.scalar(element.Expression, row);
    const key = this.scalar(selector.Expression, row);
    if (typeof key === 'string') return memberOf(base, key);
    if (typeof key === 'number' && Array.isArray(base)) {
      const items = base as readonly KqlValue[];
      return items[key < 0 ? items.length + key : key] ?? null;
    }
    return null;
  }

  #binary(binary: Kusto.Language.Syntax.BinaryExpression, row: RowContext | undefined): KqlValue {
    const operator = (binary.Operator?.Text ?? '').toLowerCase();
    if (!isSupportedBinaryOperator(operator)) {
      throw this.unsupported(`the operator '${operator}'`, binary.Operator ?? binary);
    }
    const left = this.scalar(binary.Left, row);
    // `and` / `or` decide on the left side alone when they can, as Kusto does.
    if (operator === 'and' && left === false) return false;
    if (operator === 'or' && left === true) return true;
    const right = this.scalar(binary.Right, row);
    try {
      return applyBinaryOperator(operator, {
        left,
        right,
        leftType: binary.Left?.ResultType?.Name ?? '',
        rightType: binary.Right?.ResultType?.Name ?? '',
        resultType: binary.ResultType?.Name ?? '',
      });
    } catch (error) {
      throw this.placed(error, binary.Operator ?? binary);
    }
  }

  #in(expression: Kusto.Language.Syntax.InExpression, row: RowContext | undefined): KqlValue {
    const operator = (expression.Operator?.Text ?? '').toLowerCase();
    if (!['in', '!in', 'in~', '!in~'].includes(operator)) {
      throw this.unsupported(`the operator '${operator}'`, expression.Operator ?? expression);
    }
    const left = this.scalar(expression.Left, row);
    if (left === null) return null;
    const leftType = expression.Left?.ResultType?.Name ?? '';
    const ignoreCase = operator.endsWith('~');
    let found = false;
    for (const candidate of elementsOf(expression.Right?.Expressions ?? null)) {
      for (const [value, type] of this.#candidates(candidate, row)) {
        try {
          if (valuesEqual(left, value, leftType, type, ignoreCase) === true) found = true;
        } catch (error) {
          throw this.placed(error, candidate);
        }
      }
      if (found) break;
    }
    return operator.startsWith('!') ? !found : found;
  }

  // An `in` list item is a scalar, or a table whose first column supplies the values.
  #candidates(candidate: Expression, row: RowContext | undefined): [KqlValue, string][] {
    if (!(candidate.ResultType instanceof this.kusto.Symbols.TableSymbol)) {
      return [[this.scalar(candidate, row), candidate.ResultType?.Name ?? '']];
    }
    let table = this.#memo.get(candidate) as Table | undefined;
    if (table === undefined) {
      table = this.tabular(candidate);
      this.#memo.set(candidate, table);
    }
    const type = table.columns[0]?.type ?? 'dynamic';
    return table.rows.map((cells) => [cells[0] ?? null, type]);
  }

  #negate(expression: Kusto.Language.Syntax.PrefixUnaryExpression, row: RowContext | undefined) {
    const operator = expression.Operator?.Text ?? '';
    const value = this.scalar(expression.Expression, row);
    if (operator !== '-' && operator !== '+') {
      throw this.unsupported(`the prefix operator '${operator}'`, expression);
    }
    if (value === null || operator === '+') return value;
    if (typeof value === 'number') return -value;
    if (value instanceof Timespan) return new Timespan(-value.milliseconds);
    throw this.invalid('`-` needs a number or a timespan', expression);
  }

  #call(call: Kusto.Language.Syntax.FunctionCallExpression, row: RowContext | undefined) {
    const name = call.ReferencedSymbol?.Name ?? call.Name?.SimpleName ?? '';
    if (aggregateFunctions.has(name)) {
      throw this.unsupported(
        `the aggregate '${name}' here (only a whole summarize clause can be an aggregate call)`,
        call,
      );
    }
    const implementation = scalarFunctions.get(name);
    if (implementation === undefined) throw this.unsupported(`the function '${name}'`, call);
    const argumentNodes = elementsOf(call.ArgumentList?.Expressions ?? null);
    return implementation({
      args: argumentNodes.map((argument) => this.scalar(argument, row)),
      argTypes: argumentNodes.map((argument) => argument.ResultType?.Name ?? ''),
      resultType: call.ResultType?.Name ?? '',
      now: this.#now,
    });
  }

  #toScalar(expression: Kusto.Language.Syntax.ToScalarExpression): KqlValue {
    if (expression.KindParameter !== null) {
      throw this.unsupported('the kind parameter of toscalar()', expression.KindParameter);
    }
    if (this.#memo.has(expression)) return this.#memo.get(expression) as KqlValue;
    const table = this.tabular(expression.Expression);
    const value = table.rows[0]?.[0] ?? null;
    this.#memo.set(expression, value);
    return value;
  }
}

function memberOf(value: KqlValue, name: string): KqlValue {
  if (!isDynamicContainer(value) || Array.isArray(value)) return null;
  const record = value as { readonly [key: string]: KqlValue };
  return Object.hasOwn(record, name) ? (record[name] ?? null) : null;
}

function firstWord(node: Kusto.Language.Syntax.SyntaxElement): string {
  return node.GetFirstToken()?.Text ?? '';
}

/** How an error names a construct: `the function 'x'`, `the operator 'mv-expand'`, or its text. */
function describe(kusto: KustoLanguage, node: SyntaxNode | null): string {
  if (node === null) return 'a missing expression';
  if (node instanceof kusto.Syntax.FunctionCallExpression) {
    return `the function '${node.Name?.SimpleName ?? ''}'`;
  }
  if (node instanceof kusto.Syntax.QueryOperator) return `the operator '${firstWord(node)}'`;
  const text = (node.ToString(kusto.Syntax.IncludeTrivia.SingleLine) ?? '').trim();
  return `the expression \`${text.length > 40 ? `${text.slice(0, 37)}...` : text}\``;
}
