import { EvaluationProblem } from './EvaluationProblem.js';
import { compareValues, Timespan, valueKey, type KqlValue } from './KqlValue.js';

/** Collects one group's rows for one aggregate, then gives its result columns. */
export interface Accumulator {
  /** Adds one row's evaluated arguments, in call order. */
  add(args: readonly KqlValue[]): void;
  /** The aggregate's result cells: one, or one per argument for arg_max / arg_min. */
  results(): KqlValue[];
}

/** An aggregate function the evaluator implements. */
export interface AggregateFunction {
  readonly minArguments: number;
  readonly maxArguments: number;
  /** How many result columns a call with `argumentCount` arguments makes. */
  columnCount(argumentCount: number): number;
  create(argumentCount: number): Accumulator;
}

const defaultSetLimit = 1_048_576;

function single(
  minArguments: number,
  maxArguments: number,
  create: (argumentCount: number) => Accumulator,
): AggregateFunction {
  return { minArguments, maxArguments, columnCount: () => 1, create };
}

function number(value: KqlValue, name: string): number {
  if (typeof value === 'number') return value;
  throw new EvaluationProblem(`${name}() of a value that is not a number`);
}

// Sums stay 0 over no values (Kusto's documented default for sum() over empty input); averages,
// minimums and maximums are null.
function summing(conditional: boolean, averaging: boolean, name: string): AggregateFunction {
  return single(conditional ? 2 : 1, conditional ? 2 : 1, () => {
    let total = 0;
    let count = 0;
    return {
      add(args) {
        if (conditional && args[1] !== true) return;
        const value = args[0] ?? null;
        if (value === null) return;
        total += number(value, name);
        count++;
      },
      results: () => [averaging ? (count === 0 ? null : total / count) : total],
    };
  });
}

function counting(conditional: boolean): AggregateFunction {
  return single(conditional ? 1 : 0, conditional ? 1 : 0, () => {
    let count = 0;
    return {
      add(args) {
        if (!conditional || args[0] === true) count++;
      },
      results: () => [count],
    };
  });
}

function extreme(direction: 1 | -1, conditional: boolean): AggregateFunction {
  return single(conditional ? 2 : 1, conditional ? 2 : 1, () => {
    let best: KqlValue = null;
    return {
      add(args) {
        if (conditional && args[1] !== true) return;
        const value = args[0] ?? null;
        if (value === null) return;
        if (best === null || direction * compareValues(value, best) > 0) best = value;
      },
      results: () => [best],
    };
  });
}

function distinctCount(conditional: boolean): AggregateFunction {
  // The optional accuracy argument is accepted and ignored: the count here is exact, where Kusto
  // estimates (HyperLogLog); assert thresholds in tests, not exact large counts.
  return single(conditional ? 2 : 1, conditional ? 3 : 2, () => {
    const seen = new Set<string>();
    return {
      add(args) {
        if (conditional && args[1] !== true) return;
        const value = args[0] ?? null;
        if (value !== null) seen.add(valueKey(value));
      },
      results: () => [seen.size],
    };
  });
}

function makeSet(conditional: boolean): AggregateFunction {
  const limitIndex = conditional ? 2 : 1;
  return single(limitIndex, limitIndex + 1, () => {
    const seen = new Set<string>();
    const items: KqlValue[] = [];
    return {
      add(args) {
        if (conditional && args[1] !== true) return;
        const value = args[0] ?? null;
        const limit = args[limitIndex] ?? defaultSetLimit;
        if (value === null || items.length >= number(limit, 'make_set')) return;
        const key = valueKey(value);
        if (seen.has(key)) return;
        seen.add(key);
        items.push(value instanceof Timespan ? value.toString() : value);
      },
      results: () => [items],
    };
  });
}

function argExtreme(direction: 1 | -1): AggregateFunction {
  return {
    minArguments: 2,
    maxArguments: 64,
    columnCount: (argumentCount) => argumentCount,
    create(argumentCount) {
      let best: readonly KqlValue[] | undefined;
      return {
        add(args) {
          const value = args[0] ?? null;
          if (value === null) return;
          // Ties keep the first row seen; Kusto picks any one of them.
          if (best === undefined || direction * compareValues(value, best[0] ?? null) > 0) {
            best = [...args];
          }
        },
        results: () => best?.slice() ?? new Array<KqlValue>(argumentCount).fill(null),
      };
    },
  };
}

/**
 * The aggregates `summarize` implements, by name. Group order in the result is the order groups
 * first appear in the input; Kusto guarantees no order, so queries sort when order matters.
 */
export const aggregateFunctions: ReadonlyMap<string, AggregateFunction> = new Map([
  ['count', counting(false)],
  ['countif', counting(true)],
  ['sum', summing(false, false, 'sum')],
  ['sumif', summing(true, false, 'sumif')],
  ['avg', summing(false, true, 'avg')],
  ['avgif', summing(true, true, 'avgif')],
  ['min', extreme(-1, false)],
  ['minif', extreme(-1, true)],
  ['max', extreme(1, false)],
  ['maxif', extreme(1, true)],
  ['dcount', distinctCount(false)],
  ['dcountif', distinctCount(true)],
  ['make_set', makeSet(false)],
  ['make_set_if', makeSet(true)],
  ['arg_max', argExtreme(1)],
  ['arg_min', argExtreme(-1)],
]);
