import { EvaluationProblem } from './EvaluationProblem.js';
import { Timespan, type KqlValue } from './KqlValue.js';

const unitMilliseconds: Readonly<Record<string, number>> = {
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  ms: 1,
  milli: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
  microsecond: 0.001,
  microseconds: 0.001,
  tick: 0.0001,
  ticks: 0.0001,
};

const unitForm = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/;
const clockForm = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;
const timezoneSuffix = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * The value of a literal from its analysed type and its raw interior text (`ValueText`: `5m`,
 * `2024-01-01T10:00:00Z`, `42`). Strings come already unescaped from Kusto.Language.
 */
export function literalValue(
  typeName: string,
  valueText: string | null,
  parsedValue: unknown,
): KqlValue {
  if (parsedValue === null || valueText === null) return typeName === 'string' ? '' : null;
  switch (typeName) {
    case 'string':
      if (typeof parsedValue === 'string') return parsedValue;
      break;
    case 'bool':
      if (/^true$/i.test(valueText)) return true;
      if (/^false$/i.test(valueText)) return false;
      break;
    case 'int':
    case 'long':
    case 'real': {
      const number = Number(valueText);
      if (Number.isFinite(number)) return number;
      break;
    }
    case 'datetime':
      return parseDatetimeLiteral(valueText);
    case 'timespan':
      return parseTimespanLiteral(valueText);
  }
  throw new EvaluationProblem(`the ${typeName} literal \`${valueText}\``, 'unsupported');
}

function parseDatetimeLiteral(text: string): Date {
  // Kusto datetimes are UTC; JavaScript would read a date-time without a zone as local time.
  let normalised = text.trim().replace(' ', 'T');
  if (normalised.includes('T') && !timezoneSuffix.test(normalised)) normalised += 'Z';
  const time = Date.parse(normalised);
  if (Number.isNaN(time)) {
    throw new EvaluationProblem(`the datetime literal \`${text}\``, 'unsupported');
  }
  return new Date(time);
}

/** A timespan from Kusto's literal forms: `5m`, `1.5h`, `100ms`, `2days`, `1.02:03:04.5`. */
export function parseTimespanLiteral(text: string): Timespan {
  const trimmed = text.trim();
  const unit = unitForm.exec(trimmed);
  if (unit !== null) {
    const factor = unitMilliseconds[unit[2] ?? ''];
    if (factor !== undefined) return new Timespan(Number(unit[1]) * factor);
  }
  const clock = clockForm.exec(trimmed);
  if (clock !== null) {
    const [, minus, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = ''] = clock;
    const milliseconds =
      ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 +
      Number(seconds) * 1000 +
      (fraction === '' ? 0 : Number(`0.${fraction}`) * 1000);
    return new Timespan(minus === undefined ? milliseconds : -milliseconds);
  }
  throw new EvaluationProblem(`the timespan literal \`${text}\``, 'unsupported');
}
