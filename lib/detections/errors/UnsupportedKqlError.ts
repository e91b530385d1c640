import { SealOpsError } from '../../errors/SealOpsError.js';
import { describePosition, type SourcePosition } from './SourcePosition.js';

/**
 * The local evaluator met a KQL operator, function or form it does not implement. It never
 * guesses at the semantics of something it does not know: the query must be rewritten with
 * supported constructs, or the evaluator extended (lib/detections/evaluation).
 */
export class UnsupportedKqlError extends SealOpsError {
  readonly code = 'KQL_UNSUPPORTED';
  readonly httpStatus = 500;

  /**
   * @param construct what is not supported, for example `operator 'mv-expand'` or
   *   `function 'percentile'`
   * @param position where it starts in the query
   */
  constructor(
    readonly construct: string,
    readonly position: SourcePosition,
  ) {
    super(
      `The local KQL evaluator does not support ${construct} (${describePosition(position)}); ` +
        'rewrite the query with supported operators or extend lib/detections/evaluation.',
    );
  }
}
