import type { KqlTypeName } from '../workspaceSchema.js';

/** A Kusto `timespan`, held in milliseconds (Kusto counts 100 ns ticks; sub-millisecond is lost). */
export class Timespan {
  constructor(readonly milliseconds: number) {}

  /** Kusto's text form, `[-][d.]hh:mm:ss[.fffffff]`, as Log Analytics returns timespans. */
  toString(): string {
    const sign = this.milliseconds < 0 ? '-' : '';
    let rest = Math.abs(this.milliseconds);
    const days = Math.floor(rest / 86_400_000);
    rest -= days * 86_400_000;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    const fraction = Math.round((rest - seconds * 1000) * 10_000);
    const pad = (value: number) => String(value).padStart(2, '0');
    return (
      `${sign}${days > 0 ? `${days}.` : ''}${pad(hours)}:${pad(minutes)}:${pad(seconds)}` +
      (fraction > 0 ? `.${String(fraction).padStart(7, '0')}` : '')
    );
  }
}

/**
 * A value inside the evaluator. Kusto types map as: string → string (never null: an absent
 * string is ""), int / long / real → number, bool → boolean, datetime → Date, timespan →
 * {@link Timespan}, dynamic → any JSON value. Which Kusto type a value has comes from the
 * analyzer's static types, not from the JavaScript value: a dynamic "5" and a string "5" look
 * alike here.
 */
export type KqlValue =
  | null
  | string
  | number
  | boolean
  | Date
  | Timespan
  | readonly KqlValue[]
  | { readonly [key: string]: KqlValue };

/** The value an absent cell of `type` has: "" for strings, null for everything else. */
export function emptyValueOf(type: KqlTypeName): KqlValue {
  return type === 'string' ? '' : null;
}

/**
 * A string that is equal for equal values and different for different ones, across types: used
 * to group, join and de-duplicate.
 */
export function valueKey(value: KqlValue): string {
  if (value === null) return 'n';
  if (value instanceof Date) return `d${value.getTime()}`;
  if (value instanceof Timespan) return `t${value.milliseconds}`;
  switch (typeof value) {
    case 'string':
      return `s${value}`;
    case 'number':
      return `#${value}`;
    case 'boolean':
      return value ? 'T' : 'F';
    default:
      return `j${JSON.stringify(value)}`;
  }
}

/**
 * Orders two non-null values of the same kind: numbers, strings (ordinal), booleans, dates,
 * timespans. Values of different kinds (possible only inside dynamic) order by kind.
 */
export function compareValues(left: KqlValue, right: KqlValue): number {
  const leftRank = kindRank(left);
  const rightRank = kindRank(right);
  if (leftRank !== rightRank) return leftRank - rightRank;
  if (left instanceof Date && right instanceof Date) return left.getTime() - right.getTime();
  if (left instanceof Timespan && right instanceof Timespan) {
    return left.milliseconds - right.milliseconds;
  }
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  if (typeof left === 'boolean' && typeof right === 'boolean') return Number(left) - Number(right);
  if (typeof left === 'string' && typeof right === 'string') {
    return left < right ? -1 : left > right ? 1 : 0;
  }
  const leftText = JSON.stringify(left);
  const rightText = JSON.stringify(right);
  return leftText < rightText ? -1 : leftText > rightText ? 1 : 0;
}

function kindRank(value: KqlValue): number {
  if (value === null) return 0;
  if (value instanceof Date) return 4;
  if (value instanceof Timespan) return 5;
  switch (typeof value) {
    case 'boolean':
      return 1;
    case 'number':
      return 2;
    case 'string':
      return 3;
    default:
      return 6;
  }
}

/** True for a JSON array or object held in a dynamic value. */
export function isDynamicContainer(
  value: KqlValue,
): value is readonly KqlValue[] | { readonly [key: string]: KqlValue } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Date) &&
    !(value instanceof Timespan)
  );
}
