import { SealOpsError } from '../../errors/SealOpsError.js';

/** A query time range with an unreadable duration, or one that ends before it starts. */
export class InvalidQueryTimespanError extends SealOpsError {
  readonly code = 'QUERY_TIMESPAN_INVALID';
  readonly httpStatus = 500;

  constructor(problem: string) {
    super(`The query time range is invalid: ${problem}; give an ISO 8601 duration such as PT5M.`);
  }
}
