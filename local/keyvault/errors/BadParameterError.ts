import { LocalVaultError } from './LocalVaultError.js';

/**
 * A request the service refuses as malformed. The message names the parameter and the rule it
 * breaks, never the value that was sent (it may be a secret).
 */
export class BadParameterError extends LocalVaultError {
  readonly code = 'BadParameter';
  readonly httpStatus = 400;

  /**
   * @param parameter - where the problem is, e.g. `secret-name`, `attributes.exp`, `maxresults`
   * @param rule - what a valid value looks like, e.g. `an integer from 1 to 25`
   */
  constructor(parameter: string, rule: string) {
    super(`The parameter ${parameter} is not valid: it must be ${rule}.`);
  }
}
