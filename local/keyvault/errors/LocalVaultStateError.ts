import { SealOpsError } from '../../../lib/errors/SealOpsError.js';

/** The local vault's state file cannot be read back; it is never overwritten silently. */
export class LocalVaultStateError extends SealOpsError {
  readonly code = 'LOCAL_VAULT_STATE_INVALID';
  readonly httpStatus = 500;

  /** @param problem - what is wrong, e.g. `is not JSON`; never content from the file */
  constructor(path: string, problem: string, options?: ErrorOptions) {
    super(
      `The local Key Vault state file ${path} ${problem}; move it away (or delete it to start ` +
        'with an empty vault) and start again.',
      options,
    );
  }
}
