import { SealOpsError } from '../../errors/SealOpsError.js';

/** An immediate rotation could not publish a new key now; the message says where it stands. */
export class RotationIncompleteError extends SealOpsError {
  readonly code = 'ROTATION_INCOMPLETE';
  readonly httpStatus = 503;

  constructor(credential: string, where: string) {
    super(`The rotation of '${credential}' did not publish a new key: ${where}`);
  }
}
