import { SealOpsError } from '../../errors/SealOpsError.js';

/** The run's lease on a credential expired or was broken, so it may no longer change anything. */
export class RotationLeaseLostError extends SealOpsError {
  readonly code = 'ROTATION_LEASE_LOST';
  readonly httpStatus = 409;

  constructor(credential: string) {
    super(
      `This run lost its lease on '${credential}' (a step outlasted it, or it was broken); it ` +
        'stops, and the next run resumes from the stored state.',
    );
  }
}
