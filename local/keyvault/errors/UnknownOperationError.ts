import { LocalVaultError } from './LocalVaultError.js';

/** A path that is no Key Vault secrets operation this local vault serves. */
export class UnknownOperationError extends LocalVaultError {
  readonly code = 'NotFound';
  readonly httpStatus = 404;

  constructor(method: string, pathname: string) {
    super(`${method} ${pathname} is not a Key Vault secrets operation this local vault serves.`);
  }
}
