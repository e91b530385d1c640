import { SealOpsError } from '../../errors/SealOpsError.js';

/** The signing service did not answer within the per-attempt timeout, on the last retry too. */
export class SigningServiceTimeoutError extends SealOpsError {
  readonly code = 'SIGNING_SERVICE_TIMEOUT';
  readonly httpStatus = 504;
  readonly attempts: number;
  readonly timeoutMs: number;

  constructor(attempts: number, timeoutMs: number, options?: ErrorOptions) {
    super(
      `The signing service did not answer within ${String(timeoutMs)} ms on the last of ` +
        `${String(attempts)} attempts; try again later and check the service status if it persists.`,
      options,
    );
    this.attempts = attempts;
    this.timeoutMs = timeoutMs;
  }
}
