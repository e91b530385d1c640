import { LocalVaultError } from './LocalVaultError.js';

/** A restore of a backup whose secret name is already in use in this vault. */
export class SecretAlreadyExistsError extends LocalVaultError {
  readonly code = 'Conflict';
  readonly httpStatus = 409;

  constructor(name: string) {
    super(
      `There was a conflict restoring the secret ${name}: a secret with this name already ` +
        'exists in this vault; delete and purge it first, or restore into another vault.',
    );
  }
}
