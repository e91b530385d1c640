import { typeFamilyOf } from '../typeFamilies.js';
import { toKqlString } from './conversions.js';
import { EvaluationProblem } from './EvaluationProblem.js';
import { compareValues, Timespan, valueKey, type KqlValue } from './KqlValue.js';

/** Both sides of a binary operator, evaluated, with the analyzer's types. */
export interface BinaryOperands {
  readonly left: KqlValue;
  readonly right: KqlValue;
  readonly leftType: string;
  readonly rightType: string;
  readonly resultType: string;
}

type StringTest = (haystack: string, needle: string) => boolean;

// Kusto indexes text as terms: runs of ASCII letters and digits. `has` matches whole terms (a
// needle of several terms must appear as consecutive terms); it ignores case, `has_cs` does not.
function termsOf(text: string, ignoreCase: boolean): string[] {
  const source = ignoreCase ? text.toLowerCase() : text;
  return source.split(/[^A-Za-z0-9]+/).filter((term) => term.length > 0);
}

function hasTerms(haystack: string, needle: string, ignoreCase: boolean): boolean {
  const wanted = termsOf(needle, ignoreCase);
  if (wanted.length === 0) {
    throw new EvaluationProblem('`has` with a needle of no letters or digits', 'unsupported');
  }
  const terms = termsOf(haystack, ignoreCase);
  for (let start = 0; start + wanted.length <= terms.length; start++) {
    if (wanted.every((term, offset) => terms[start + offset] === term)) return true;
  }
  return false;
}

const lower = (text: string) => text.toLowerCase();
const stringTests: ReadonlyMap<string, StringTest> = new Map<string, StringTest>([
  ['=~', (a, b) => lower(a) === lower(b)],
  ['has', (a, b) => hasTerms(a, b, true)],
  ['has_cs', (a, b) => hasTerms(a, b, false)],
  ['contains', (a, b) => lower(a).includes(lower(b))],
  ['contains_cs', (a, b) => a.includes(b)],
  ['startswith', (a, b) => lower(a).startsWith(lower(b))],
  ['startswith_cs', (a, b) => a.startsWith(b)],
  ['endswith', (a, b) => lower(a).endsWith(lower(b))],
  ['endswith_cs', (a, b) => a.endsWith(b)],
]);

/** True for the operators {@link applyBinaryOperator} implements. */
export function isSupportedBinaryOperator(operator: string): boolean {
  const positive = operator.startsWith('!') ? operator.slice(1) : operator;
  return (
    ['==', '!=', '<', '<=', '>', '>=', '!~', '+', '-', '*', '/', '%', 'and', 'or'].includes(
      operator,
    ) || stringTests.has(positive)
  );
}

/**
 * Applies a binary operator under strict typing: comparisons need both sides in the same type
 * family (the lint enforces the same statically), and null on either side gives null, which
 * `where` treats as false.
 */
export function applyBinaryOperator(operator: string, operands: BinaryOperands): KqlValue {
  const { left, right } = operands;
  if (operator === 'and' || operator === 'or') return applyLogical(operator, left, right);
  if (['+', '-', '*', '/', '%'].includes(operator)) return applyArithmetic(operator, operands);

  const negated = operator.startsWith('!') && operator !== '!=';
  const positive = operator === '!~' ? '=~' : negated ? operator.slice(1) : operator;
  const stringTest = stringTests.get(positive);
  if (stringTest !== undefined) {
    if (left === null || right === null) return null;
    const result = stringTest(asText(left, operands.leftType), asText(right, operands.rightType));
    return negated || operator === '!~' ? !result : result;
  }

  if (left === null || right === null) return null;
  requireSameFamily(operator, operands);
  if (operator === '==') return valueKey(left) === valueKey(right);
  if (operator === '!=') return valueKey(left) !== valueKey(right);
  const order = compareValues(left, right);
  switch (operator) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
  throw new EvaluationProblem(`the operator \`${operator}\``, 'unsupported');
}

/** Equality as `in` and `==` see it, with the same typing rule. */
export function valuesEqual(
  left: KqlValue,
  right: KqlValue,
  leftType: string,
  rightType: string,
  ignoreCase: boolean,
): boolean | null {
  if (left === null || right === null) return null;
  requireSameFamily(ignoreCase ? 'in~' : 'in', {
    left,
    right,
    leftType,
    rightType,
    resultType: 'bool',
  });
  if (ignoreCase && typeof left === 'string' && typeof right === 'string') {
    return left.toLowerCase() === right.toLowerCase();
  }
  return valueKey(left) === valueKey(right);
}

function requireSameFamily(operator: string, operands: BinaryOperands): void {
  const leftFamily = typeFamilyOf(operands.leftType);
  const rightFamily = typeFamilyOf(operands.rightType);
  if (leftFamily === undefined || leftFamily !== rightFamily || leftFamily === 'guid') {
    throw new EvaluationProblem(
      `\`${operator}\` between ${operands.leftType} and ${operands.rightType} is not evaluated ` +
        'without an explicit conversion (tostring(), toint(), tolong(), tobool())',
    );
  }
}

function asText(value: KqlValue, type: string): string {
  if (type === 'string' || type === 'dynamic') return toKqlString(value);
  throw new EvaluationProblem(`a string operator applied to ${type}`, 'unsupported');
}

function applyLogical(operator: 'and' | 'or', left: KqlValue, right: KqlValue): KqlValue {
  for (const value of [left, right]) {
    if (value !== null && typeof value !== 'boolean') {
      throw new EvaluationProblem(`\`${operator}\` needs bool operands`);
    }
  }
  if (operator === 'and') {
    if (left === false || right === false) return false;
    return left === true && right === true ? true : null;
  }
  if (left === true || right === true) return true;
  return left === false && right === false ? false : null;
}

function applyArithmetic(operator: string, operands: BinaryOperands): KqlValue {
  const { left, right, resultType } = operands;
  if (left === null || right === null) return null;

  if (typeof left === 'number' && typeof right === 'number') {
    const integral = resultType === 'long' || resultType === 'int';
    switch (operator) {
      case '+':
        return left + right;
      case '-':
        return left - right;
      case '*':
        return left * right;
      case '/':
        if (!integral) return left / right;
        return right === 0 ? null : Math.trunc(left / right);
      case '%':
        return right === 0 ? null : left % right;
    }
  }
  if (left instanceof Date && right instanceof Date && operator === '-') {
    return new Timespan(left.getTime() - right.getTime());
  }
  if (left instanceof Date && right instanceof Timespan && (operator === '+' || operator === '-')) {
    return new Date(left.getTime() + (operator === '+' ? 1 : -1) * right.milliseconds);
  }
  if (left instanceof Timespan && right instanceof Date && operator === '+') {
    return new Date(right.getTime() + left.milliseconds);
  }
  if (left instanceof Timespan && right instanceof Timespan) {
    if (operator === '+') return new Timespan(left.milliseconds + right.milliseconds);
    if (operator === '-') return new Timespan(left.milliseconds - right.milliseconds);
    if (operator === '/') return left.milliseconds / right.milliseconds;
  }
  if (left instanceof Timespan && typeof right === 'number') {
    if (operator === '*') return new Timespan(left.milliseconds * right);
    if (operator === '/') return new Timespan(left.milliseconds / right);
  }
  if (typeof left === 'number' && right instanceof Timespan && operator === '*') {
    return new Timespan(left * right.milliseconds);
  }
  throw new EvaluationProblem(
    `\`${operator}\` between ${operands.leftType} and ${operands.rightType}`,
    'unsupported',
  );
}
