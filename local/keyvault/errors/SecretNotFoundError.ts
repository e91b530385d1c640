import { LocalVaultError } from './LocalVaultError.js';

/** No live secret (or no such version) under this name. */
export class SecretNotFoundError extends LocalVaultError {
  readonly code = 'SecretNotFound';
  readonly httpStatus = 404;

  /** @param nameOrId - the name, or `name/version` when a version was asked for */
  constructor(nameOrId: string) {
    super(
      `A secret with (name/id) ${nameOrId} was not found in this key vault. If you recently ` +
        'deleted this secret you may be able to recover it using the correct recovery command.',
    );
  }
}
