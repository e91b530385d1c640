import { SealOpsError } from '../../errors/SealOpsError.js';

/** Another run holds the credential's lease. */
export class RotationBusyError extends SealOpsError {
  readonly code = 'ROTATION_BUSY';
  readonly httpStatus = 409;

  constructor(credential: string) {
    super(
      `Another run is rotating '${credential}' right now (it holds the lease); try again in a ` +
        'minute.',
    );
  }
}
