import { SealOpsError } from '../../errors/SealOpsError.js';
import type { KqlProblem } from '../KqlProblem.js';
import { describePosition } from './SourcePosition.js';

/**
 * Microsoft's Kusto.Language reports errors in a query (an unknown column, a syntax error, a wrong
 * argument), so it is not evaluated: the evaluator only runs queries the real engine would accept.
 */
export class KqlAnalysisError extends SealOpsError {
  readonly code = 'KQL_INVALID';
  readonly httpStatus = 500;

  constructor(readonly problems: readonly KqlProblem[]) {
    const first = problems[0];
    const where = first?.position === undefined ? '' : ` at ${describePosition(first.position)}`;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    const message = (first?.message ?? 'no diagnostic').replace(/\.$/, '');
    super(
      `The query does not analyse cleanly: ${first?.code ?? 'unknown'}${where}: ` +
        `${message}${more}; fix the query before running it.`,
    );
  }
}
