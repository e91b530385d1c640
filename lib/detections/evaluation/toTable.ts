import { InvalidTelemetryRowError } from '../errors/InvalidTelemetryRowError.js';
import type { ColumnSchema } from '../workspaceSchema.js';
import { toKqlBool, toKqlDatetime, toKqlLong, toKqlReal } from './conversions.js';
import { emptyValueOf, type KqlValue } from './KqlValue.js';
import type { Table } from './Table.js';

/** A telemetry row as JSON gives it: column name to value, dates as ISO 8601 text. */
export type TelemetryRow = Readonly<Record<string, unknown>>;

/**
 * Builds an evaluator table from JSON rows, typing each declared column: datetime from ISO text
 * (or a Date), numbers from numbers or numeric text, bool from booleans or "true"/"false",
 * dynamic as given. Columns the schema does not declare are ignored; absent columns are "" for
 * strings and null otherwise. A value that cannot have its column's type throws
 * {@link InvalidTelemetryRowError} naming the row and column.
 */
export function toTable(
  tableName: string,
  schema: readonly ColumnSchema[],
  rows: readonly TelemetryRow[],
): Table {
  return {
    columns: schema,
    rows: rows.map((row, index) =>
      schema.map((column) => {
        const value = typedValue(row[column.name], column);
        if (value === undefined) {
          throw new InvalidTelemetryRowError(tableName, index + 1, column.name, column.type);
        }
        return value;
      }),
    ),
  };
}

function typedValue(raw: unknown, column: ColumnSchema): KqlValue | undefined {
  if (raw === undefined || raw === null) return emptyValueOf(column.type);
  switch (column.type) {
    case 'string':
      return typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean'
        ? String(raw)
        : undefined;
    case 'datetime':
      return raw instanceof Date || typeof raw === 'string'
        ? (toKqlDatetime(raw) ?? undefined)
        : undefined;
    case 'int':
    case 'long':
      return typeof raw === 'number' || typeof raw === 'string'
        ? (toKqlLong(raw, column.type === 'int' ? 32 : 64) ?? undefined)
        : undefined;
    case 'real':
      return typeof raw === 'number' || typeof raw === 'string'
        ? (toKqlReal(raw) ?? undefined)
        : undefined;
    case 'bool':
      return typeof raw === 'boolean' || typeof raw === 'string'
        ? (toKqlBool(raw) ?? undefined)
        : undefined;
    case 'dynamic':
      return raw as KqlValue;
    default:
      return typeof raw === 'string' ? raw : undefined;
  }
}
