import type { SourcePosition } from './errors/SourcePosition.js';

/**
 * One problem found in a detection: by Microsoft's analyzer (`code` is the Kusto diagnostic code,
 * for example `KS142`), by this project's lint (`KQL_LINT_*`) or by comparing the query with its
 * metadata (`DETECTION_*`).
 */
export interface KqlProblem {
  readonly source: 'analyzer' | 'lint' | 'definition';
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Where in the query, when the problem has a place. */
  readonly position?: SourcePosition;
}
