import { SealOpsError } from '../../errors/SealOpsError.js';
import { describePosition, type SourcePosition } from './SourcePosition.js';

/**
 * A query analysed cleanly but could not be evaluated over the rows it was given, for example a
 * comparison between values of different types that Kusto might coerce and this evaluator will not.
 */
export class KqlEvaluationError extends SealOpsError {
  readonly code = 'KQL_EVALUATION_FAILED';
  readonly httpStatus = 500;

  /**
   * @param problem what went wrong, built from type names and query text, never from row values
   * @param position where in the query
   */
  constructor(problem: string, position: SourcePosition) {
    super(`The query cannot be evaluated at ${describePosition(position)}: ${problem}.`);
  }
}
