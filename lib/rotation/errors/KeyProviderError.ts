import { SealOpsError } from '../../errors/SealOpsError.js';

/**
 * The provider's key-management API refused or failed a call, or answered something that is not
 * a key. Names the operation and the status only: the answer may hold a key.
 */
export class KeyProviderError extends SealOpsError {
  readonly code = 'KEY_PROVIDER_FAILED';
  readonly httpStatus = 502;
  readonly status: number | undefined;

  constructor(operation: string, status: number | undefined, problem?: string) {
    super(
      `The key provider ${status === undefined ? 'could not be reached' : `answered ${String(status)}`} ` +
        `while ${operation}${problem ? ` (${problem})` : ''}; check TS_KEY_PROVIDER_URL, the ` +
        "admin token and the provider's availability.",
    );
    this.status = status;
  }
}
