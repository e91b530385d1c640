/**
 * Thrown by value-level helpers that do not know where in the query they are; the evaluator
 * catches it at the syntax node and turns it into a KqlEvaluationError or UnsupportedKqlError
 * with the position.
 */
export class EvaluationProblem extends Error {
  constructor(
    message: string,
    readonly kind: 'unsupported' | 'invalid' = 'invalid',
  ) {
    super(message);
    this.name = 'EvaluationProblem';
  }
}
