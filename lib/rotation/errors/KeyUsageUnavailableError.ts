import { SealOpsError } from '../../errors/SealOpsError.js';

/** The key-usage evidence could not be read in full, so an old key is not deactivated yet. */
export class KeyUsageUnavailableError extends SealOpsError {
  readonly code = 'KEY_USAGE_UNAVAILABLE';
  readonly httpStatus = 503;

  constructor(keyId: string, problem: string) {
    super(
      `The usage of key ${keyId} could not be established (${problem}); it stays valid until ` +
        'the evidence can be read.',
    );
  }
}
