import { SealOpsError } from '../errors/SealOpsError.js';
import { SigningRequestRejectedError } from './errors/SigningRequestRejectedError.js';
import { SigningResponseInvalidError } from './errors/SigningResponseInvalidError.js';

/** How one HTTP attempt at `/v1/sign` ended, when it did not end in a thrown error. */
export type AttemptResult =
  | { readonly kind: 'signed'; readonly cms: Uint8Array }
  /** 401: not retried with the same key. */
  | { readonly kind: 'refused' }
  /** A network error, a timeout or a 5xx: worth another attempt. */
  | {
      readonly kind: 'transient';
      readonly status?: number;
      readonly timedOut: boolean;
      readonly cause?: unknown;
    };

/** An attempt as the `SigningCall` event reports it. */
export interface AttemptDescription {
  readonly statusCode?: number;
  readonly errorCode?: string;
}

export function describeAttempt(result: AttemptResult): AttemptDescription {
  if (result.kind === 'signed') return { statusCode: 200 };
  if (result.kind === 'refused') return { statusCode: 401, errorCode: 'SIGNING_KEY_REFUSED' };
  if (result.timedOut) return { errorCode: 'SIGNING_SERVICE_TIMEOUT' };
  return { statusCode: result.status, errorCode: 'SIGNING_SERVICE_UNAVAILABLE' };
}

/** An attempt that ended in an error thrown at once, without retrying. */
export function describeFailure(error: unknown): AttemptDescription {
  if (error instanceof SigningRequestRejectedError) {
    return { statusCode: error.status, errorCode: error.code };
  }
  if (error instanceof SigningResponseInvalidError)
    return { statusCode: 200, errorCode: error.code };
  // A malformed key fails before anything is sent, so there is no status to report.
  if (error instanceof SealOpsError) return { errorCode: error.code };
  return { errorCode: 'UNEXPECTED' };
}
