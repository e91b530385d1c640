import type { ColumnSchema } from '../workspaceSchema.js';
import type { KqlValue } from './KqlValue.js';

/** A table inside the evaluator: typed columns and positional rows. */
export interface Table {
  readonly columns: readonly ColumnSchema[];
  readonly rows: readonly (readonly KqlValue[])[];
}

/** One row being evaluated, with its column positions by name. */
export interface RowContext {
  readonly positions: ReadonlyMap<string, number>;
  readonly row: readonly KqlValue[];
}

/** Column positions by name, for building {@link RowContext}s over `columns`. */
export function positionsOf(columns: readonly ColumnSchema[]): ReadonlyMap<string, number> {
  return new Map(columns.map((column, index) => [column.name, index]));
}
