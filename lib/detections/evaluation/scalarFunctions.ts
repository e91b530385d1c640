import { toKqlBool, toKqlDatetime, toKqlLong, toKqlReal, toKqlString } from './conversions.js';
import { EvaluationProblem } from './EvaluationProblem.js';
import { compareValues, isDynamicContainer, Timespan, type KqlValue } from './KqlValue.js';

/** One call of a scalar function, with its arguments already evaluated. */
export interface ScalarCall {
  readonly args: readonly KqlValue[];
  /** The analyzer's type name of each argument (`string`, `long`, `dynamic`, …). */
  readonly argTypes: readonly string[];
  /** The analyzer's type name of the call's result. */
  readonly resultType: string;
  /** The injected clock's reading for the whole query: `now()` and `ago()` read it. */
  readonly now: Date;
}

type ScalarFunction = (call: ScalarCall) => KqlValue;

// Kusto bins datetimes from 0001-01-01T00:00:00Z, so weekly bins start on a Monday.
const startOfEra = -62_135_596_800_000; // Date.parse('0001-01-01T00:00:00Z')

function argument(call: ScalarCall, index: number): KqlValue {
  return call.args[index] ?? null;
}

function timespanArgument(call: ScalarCall, index: number, name: string): Timespan | null {
  const value = argument(call, index);
  if (value === null || value instanceof Timespan) return value;
  throw new EvaluationProblem(`${name}() needs a timespan`);
}

function bin(call: ScalarCall): KqlValue {
  const value = argument(call, 0);
  const size = argument(call, 1);
  if (value === null || size === null) return null;
  if (value instanceof Date && size instanceof Timespan && size.milliseconds > 0) {
    const offset = value.getTime() - startOfEra;
    return new Date(startOfEra + Math.floor(offset / size.milliseconds) * size.milliseconds);
  }
  if (value instanceof Timespan && size instanceof Timespan && size.milliseconds > 0) {
    return new Timespan(Math.floor(value.milliseconds / size.milliseconds) * size.milliseconds);
  }
  if (typeof value === 'number' && typeof size === 'number' && size > 0) {
    return Math.floor(value / size) * size;
  }
  throw new EvaluationProblem(
    `bin() of ${call.argTypes[0] ?? '?'} by ${call.argTypes[1] ?? '?'} with a positive size`,
    'unsupported',
  );
}

function round(call: ScalarCall): KqlValue {
  const value = argument(call, 0);
  const precision = call.args.length > 1 ? argument(call, 1) : 0;
  if (value === null || precision === null) return null;
  if (typeof value !== 'number' || typeof precision !== 'number') {
    throw new EvaluationProblem('round() needs numbers');
  }
  // Half away from zero, like .NET's MidpointRounding.AwayFromZero that Kusto documents.
  const factor = 10 ** precision;
  return (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor;
}

function extreme(direction: 1 | -1): ScalarFunction {
  return (call) => {
    let best: KqlValue = null;
    for (const value of call.args) {
      if (value === null) continue;
      if (best === null || direction * compareValues(value, best) > 0) best = value;
    }
    return best;
  };
}

function isEmpty(value: KqlValue): boolean {
  if (isDynamicContainer(value)) {
    throw new EvaluationProblem('isempty() of a dynamic array or object', 'unsupported');
  }
  return value === null || value === '';
}

/**
 * The scalar functions the evaluator implements, by name. Anything else is reported as
 * unsupported, never approximated.
 */
export const scalarFunctions: ReadonlyMap<string, ScalarFunction> = new Map<string, ScalarFunction>(
  [
    [
      'now',
      (call) => {
        const offset = timespanArgument(call, 0, 'now');
        return new Date(call.now.getTime() + (offset?.milliseconds ?? 0));
      },
    ],
    [
      'ago',
      (call) => {
        const span = timespanArgument(call, 0, 'ago');
        return span === null ? null : new Date(call.now.getTime() - span.milliseconds);
      },
    ],
    ['bin', bin],
    ['floor', bin],
    ['round', round],
    ['max_of', extreme(1)],
    ['min_of', extreme(-1)],
    ['tostring', (call) => toKqlString(argument(call, 0))],
    ['toint', (call) => toKqlLong(argument(call, 0), 32)],
    ['tolong', (call) => toKqlLong(argument(call, 0), 64)],
    ['todouble', (call) => toKqlReal(argument(call, 0))],
    ['toreal', (call) => toKqlReal(argument(call, 0))],
    ['tobool', (call) => toKqlBool(argument(call, 0))],
    ['toboolean', (call) => toKqlBool(argument(call, 0))],
    ['todatetime', (call) => toKqlDatetime(argument(call, 0))],
    ['strcat', (call) => call.args.map((value) => toKqlString(value)).join('')],
    ['iff', (call) => (argument(call, 0) === true ? argument(call, 1) : argument(call, 2))],
    ['iif', (call) => (argument(call, 0) === true ? argument(call, 1) : argument(call, 2))],
    ['isempty', (call) => isEmpty(argument(call, 0))],
    ['isnotempty', (call) => !isEmpty(argument(call, 0))],
    ['isnull', (call) => argument(call, 0) === null],
    ['isnotnull', (call) => argument(call, 0) !== null],
    [
      'not',
      (call) => {
        const value = argument(call, 0);
        if (value === null) return null;
        if (typeof value !== 'boolean') throw new EvaluationProblem('not() needs a bool');
        return !value;
      },
    ],
  ],
);
