import type { KqlAnalysis } from './analyzeKql.js';
import { positionAt } from './errors/SourcePosition.js';
import type { KqlProblem } from './KqlProblem.js';
import { loadKustoLanguage } from './kusto/loadKustoLanguage.js';
import { elementsOf } from './kusto/syntaxLists.js';
import { typeFamilyOf } from './typeFamilies.js';

// Kusto.Language accepts ==, != and `in` between any two scalar types, so `resultCode in (401,
// 403)` (string against long) or `Properties.useStorage == true` (dynamic against bool) analyse
// cleanly, and whether the engine then coerces is not documented. This lint closes that gap: both
// sides of a comparison must be of the same family, converted explicitly where they are not.
const comparisonOperators = new Set(['==', '!=', '<', '<=', '>', '>=', '=~', '!~']);

/**
 * Reports comparisons (`==`, `!=`, `<`, `=~`, `in`, `!in`, …) between values of different type
 * families: string against number, string or number against bool, dynamic against anything but
 * dynamic. Each finding names both types and the fix.
 */
export function lintComparisonTypes(analysis: KqlAnalysis): KqlProblem[] {
  const kusto = loadKustoLanguage();
  const problems: KqlProblem[] = [];

  const check = (
    left: Kusto.Language.Syntax.Expression,
    right: Kusto.Language.Syntax.Expression,
    operator: string,
  ): void => {
    const leftType = left.ResultType?.Name ?? '';
    const rightType = right.ResultType?.Name ?? '';
    const leftFamily = typeFamilyOf(leftType);
    const rightFamily = typeFamilyOf(rightType);
    if (leftFamily === undefined || rightFamily === undefined || leftFamily === rightFamily) return;
    const fix =
      leftFamily === 'dynamic' || rightFamily === 'dynamic'
        ? 'convert the dynamic side with tostring(), toint(), tolong() or tobool()'
        : 'convert one side explicitly or compare with a literal of the column type';
    problems.push({
      source: 'lint',
      code: 'KQL_LINT_COMPARISON_TYPES',
      severity: 'error',
      message:
        `\`${operator}\` compares ${leftType} \`${textOf(left)}\` with ${rightType} ` +
        `\`${textOf(right)}\`; Kusto.Language accepts it but the engine may not coerce: ${fix}.`,
      position: positionAt(analysis.query, right.TextStart),
    });
  };

  kusto.Syntax.SyntaxElement.WalkNodes(analysis.code.Syntax, (node) => {
    if (node instanceof kusto.Syntax.BinaryExpression) {
      const operator = node.Operator?.Text ?? '';
      if (comparisonOperators.has(operator) && node.Left !== null && node.Right !== null) {
        check(node.Left, node.Right, operator);
      }
    } else if (node instanceof kusto.Syntax.InExpression && node.Left !== null) {
      const operator = node.Operator?.Text ?? 'in';
      for (const candidate of elementsOf(node.Right?.Expressions ?? null)) {
        check(node.Left, candidate, operator);
      }
    }
  });
  return problems;
}

function textOf(expression: Kusto.Language.Syntax.Expression): string {
  const text = expression.ToString(loadKustoLanguage().Syntax.IncludeTrivia.SingleLine) ?? '';
  return text.length > 40 ? `${text.slice(0, 37)}...` : text.trim();
}
