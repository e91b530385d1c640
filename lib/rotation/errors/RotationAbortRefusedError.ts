import { SealOpsError } from '../../errors/SealOpsError.js';

/** An abort that would do harm or nothing: the new key is already live, or nothing is in flight. */
export class RotationAbortRefusedError extends SealOpsError {
  readonly code = 'ROTATION_ABORT_REFUSED';
  readonly httpStatus = 409;

  constructor(credential: string, keyId: string, why: 'published' | 'idle') {
    super(
      why === 'published'
        ? `The rotation of '${credential}' has already published key ${keyId}, which callers may ` +
            'be using; it cannot be aborted. Let it finish, or disable a key with the incident runbook.'
        : `No rotation of '${credential}' is in flight and automation is not stopped; there is ` +
            'nothing to abort.',
    );
  }
}
