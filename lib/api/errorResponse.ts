import { SealOpsError } from '../errors/SealOpsError.js';

/** The JSON body of every error this API returns. */
export interface ErrorBody {
  readonly error: {
    /** Stable and machine-readable, for example `PDF_ENCRYPTED`. */
    readonly code: string;
    /** One sentence a person can act on. */
    readonly message: string;
    /** Quote it to an operator: it finds the invocation's logs. */
    readonly invocationId: string;
  };
}

/**
 * Maps any failure to a status and an error body. Failures this app reports on purpose keep their
 * code and message; anything else becomes a 500 that reveals nothing but the invocation ID (its
 * details go to the log, never to the client).
 */
export function errorResponse(
  error: unknown,
  invocationId: string,
): { status: number; body: ErrorBody } {
  if (error instanceof SealOpsError) {
    return {
      status: error.httpStatus,
      body: { error: { code: error.code, message: error.message, invocationId } },
    };
  }
  return {
    status: 500,
    body: {
      error: {
        code: 'INTERNAL_ERROR',
        message: `The request failed unexpectedly; quote invocation ${invocationId} to an operator.`,
        invocationId,
      },
    },
  };
}
