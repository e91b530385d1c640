import { SealOpsError } from '../../errors/SealOpsError.js';

/** A command named a credential the engine does not manage. */
export class UnknownCredentialError extends SealOpsError {
  readonly code = 'ROTATION_CREDENTIAL_UNKNOWN';
  readonly httpStatus = 404;

  constructor(credential: string, known: readonly string[]) {
    super(
      `'${credential}' is not a managed credential; the managed ones are: ` +
        `${known.length > 0 ? known.join(', ') : 'none (check KEY_VAULT_URL)'}.`,
    );
  }
}
