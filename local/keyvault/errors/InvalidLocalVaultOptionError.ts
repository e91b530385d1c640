import { SealOpsError } from '../../../lib/errors/SealOpsError.js';

/** `startLocalKeyVault` was given an option outside its documented range. */
export class InvalidLocalVaultOptionError extends SealOpsError {
  readonly code = 'LOCAL_VAULT_OPTION_INVALID';
  readonly httpStatus = 500;

  /** @param expected - the documented range, e.g. `an integer from 7 to 90` */
  constructor(option: string, expected: string) {
    super(`The local Key Vault option ${option} must be ${expected}.`);
  }
}
