import { SealOpsError } from '../../errors/SealOpsError.js';

/**
 * The signing service answered a 4xx other than 401. The API documents no such status, so this is
 * most likely a request this client built wrongly or a base URL that is not the signing API; it is
 * not retried.
 */
export class SigningRequestRejectedError extends SealOpsError {
  readonly code = 'SIGNING_REQUEST_REJECTED';
  readonly httpStatus = 502;
  readonly status: number;
  readonly keyId: string;

  constructor(status: number, keyId: string) {
    super(
      `The signing service rejected the sign request with HTTP ${String(status)} for API key ` +
        `'${keyId}'; check the signing base URL and report it if the URL is right.`,
    );
    this.status = status;
    this.keyId = keyId;
  }
}
