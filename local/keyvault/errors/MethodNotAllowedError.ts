import { LocalVaultError } from './LocalVaultError.js';

/** A known path called with a method it does not take. */
export class MethodNotAllowedError extends LocalVaultError {
  readonly code = 'MethodNotAllowed';
  readonly httpStatus = 405;

  constructor(method: string, pathname: string, allowed: readonly string[]) {
    super(`${method} is not allowed on ${pathname}; use ${allowed.join(' or ')}.`);
  }
}
