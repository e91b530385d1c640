import { SealOpsError } from '../../errors/SealOpsError.js';

/** A seal option is out of range; a caller bug, since options are checked at the edge first. */
export class InvalidSealOptionsError extends SealOpsError {
  readonly code = 'SEAL_OPTIONS_INVALID';
  readonly httpStatus = 500;

  /** @param option the option's name; @param expectation what it must be */
  constructor(option: string, expectation: string) {
    super(`The seal option "${option}" is invalid: expected ${expectation}.`);
  }
}
