import { LocalVaultError } from './LocalVaultError.js';

/** A set or restore of a name that is soft-deleted: it must be recovered or purged first. */
export class SecretDeletedButRecoverableError extends LocalVaultError {
  readonly code = 'Conflict';
  readonly httpStatus = 409;
  override readonly innerCode = 'ObjectIsDeletedButRecoverable';

  constructor(name: string) {
    super(
      `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be ` +
        'reused; in this state, the secret can only be recovered or purged.',
    );
  }
}
