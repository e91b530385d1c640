import { SealOpsError } from '../../errors/SealOpsError.js';

/**
 * A telemetry row handed to the local evaluator does not fit the declared table schema, for
 * example a `TimeGenerated` that is not a date. The value itself is not repeated: rows can hold
 * addresses and other personal data.
 */
export class InvalidTelemetryRowError extends SealOpsError {
  readonly code = 'TELEMETRY_ROW_INVALID';
  readonly httpStatus = 500;

  constructor(table: string, rowNumber: number, column: string, expectedType: string) {
    super(
      `Row ${rowNumber} of ${table} has a ${column} that is not a valid ${expectedType}; fix the ` +
        'writer of that table or the fixture.',
    );
  }
}
