import { EvaluationProblem } from './EvaluationProblem.js';
import { isDynamicContainer, Timespan, type KqlValue } from './KqlValue.js';

const integerText = /^\s*[+-]?\d+\s*$/;
const numberText = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?\s*$/i;

/** Kusto's text form of a datetime: ISO 8601 in UTC, with 7 fraction digits only when needed. */
export function formatDatetime(value: Date): string {
  const iso = value.toISOString();
  const milliseconds = value.getUTCMilliseconds();
  return milliseconds === 0
    ? `${iso.slice(0, 19)}Z`
    : `${iso.slice(0, 19)}.${String(milliseconds).padStart(3, '0')}0000Z`;
}

/** `tostring()`: null becomes "", containers become compact JSON. */
export function toKqlString(value: KqlValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return formatDatetime(value);
  if (value instanceof Timespan) return value.toString();
  if (isDynamicContainer(value)) return JSON.stringify(toJson(value));
  return String(value);
}

/** `tolong()` / `toint()`: whole numbers only; text that is not an integer gives null. */
export function toKqlLong(value: KqlValue, bits: 32 | 64): number | null {
  let result: number | null = null;
  if (typeof value === 'number') result = Number.isFinite(value) ? Math.trunc(value) : null;
  else if (typeof value === 'boolean') result = value ? 1 : 0;
  else if (typeof value === 'string') result = integerText.test(value) ? Number(value) : null;
  else if (value instanceof Date || value instanceof Timespan) {
    throw new EvaluationProblem('converting a datetime or timespan to a number', 'unsupported');
  }
  if (result === null) return null;
  const limit = bits === 32 ? 2 ** 31 : 2 ** 63;
  return result >= -limit && result < limit ? result : null;
}

/** `todouble()` / `toreal()`. */
export function toKqlReal(value: KqlValue): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return numberText.test(value) ? Number(value) : null;
  if (value instanceof Date || value instanceof Timespan) {
    throw new EvaluationProblem('converting a datetime or timespan to a number', 'unsupported');
  }
  return null;
}

/** `tobool()`: "true" / "false" in any case, numbers by zero; anything else gives null. */
export function toKqlBool(value: KqlValue): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    return text === 'true' ? true : text === 'false' ? false : null;
  }
  return null;
}

/** `todatetime()`: a Date, or ISO 8601 text (UTC when it has no zone); anything else gives null. */
export function toKqlDatetime(value: KqlValue): Date | null {
  if (value instanceof Date) return value;
  if (typeof value !== 'string' || value.trim() === '') return null;
  let text = value.trim().replace(' ', 'T');
  if (text.includes('T') && !/(?:Z|[+-]\d{2}:?\d{2})$/i.test(text)) text += 'Z';
  const time = Date.parse(text);
  return Number.isNaN(time) ? null : new Date(time);
}

/** A value as plain JSON, as Log Analytics returns a dynamic cell: dates and timespans as text. */
export function toJson(value: KqlValue): KqlValue {
  if (value instanceof Date) return formatDatetime(value);
  if (value instanceof Timespan) return value.toString();
  if (Array.isArray(value)) return value.map((item: KqlValue) => toJson(item));
  if (isDynamicContainer(value)) {
    const record: Record<string, KqlValue> = {};
    for (const [key, item] of Object.entries(value)) record[key] = toJson(item);
    return record;
  }
  return value;
}
