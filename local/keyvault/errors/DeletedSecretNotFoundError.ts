import { LocalVaultError } from './LocalVaultError.js';

/** No soft-deleted secret under this name (never deleted, recovered, purged, or past retention). */
export class DeletedSecretNotFoundError extends LocalVaultError {
  readonly code = 'SecretNotFound';
  readonly httpStatus = 404;

  constructor(name: string) {
    super(`Deleted Secret not found: ${name}`);
  }
}
