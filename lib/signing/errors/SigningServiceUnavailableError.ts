import { SealOpsError } from '../../errors/SealOpsError.js';

/** The signing service could not be reached, or kept answering 5xx, after every retry. */
export class SigningServiceUnavailableError extends SealOpsError {
  readonly code = 'SIGNING_SERVICE_UNAVAILABLE';
  readonly httpStatus = 503;
  readonly attempts: number;
  /** The last HTTP status received; absent when the service was never reached. */
  readonly lastStatus: number | undefined;

  constructor(attempts: number, lastStatus: number | undefined, options?: ErrorOptions) {
    const last =
      lastStatus === undefined ? 'could not be reached' : `answered HTTP ${String(lastStatus)}`;
    super(
      `The signing service ${last} on the last of ${String(attempts)} attempts; try again later ` +
        'and check the service status if it persists.',
      options,
    );
    this.attempts = attempts;
    this.lastStatus = lastStatus;
  }
}
