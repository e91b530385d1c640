import { SealOpsError } from '../../errors/SealOpsError.js';

/** The credential provider returned no valid signing key, so nothing can be signed. */
export class NoSigningCredentialError extends SealOpsError {
  readonly code = 'SIGNING_KEY_MISSING';
  readonly httpStatus = 500;

  constructor() {
    super(
      'No valid signing API key is configured; set TS_API_KEY and TS_API_KEY_ID, or check the key ' +
        'store that provides them.',
    );
  }
}
