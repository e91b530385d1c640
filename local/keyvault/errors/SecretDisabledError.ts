import { LocalVaultError } from './LocalVaultError.js';

/** A get of a version whose `enabled` attribute is false. */
export class SecretDisabledError extends LocalVaultError {
  readonly code = 'Forbidden';
  readonly httpStatus = 403;
  override readonly innerCode = 'SecretDisabled';

  constructor() {
    super('Operation get is not allowed on a disabled secret.');
  }
}
