import { SealOpsError } from '../../errors/SealOpsError.js';

/** The state record changed between read and write (ETag mismatch): this run's step is dropped. */
export class RotationStateConflictError extends SealOpsError {
  readonly code = 'ROTATION_STATE_CONFLICT';
  readonly httpStatus = 409;

  constructor(credential: string) {
    super(
      `The rotation state of '${credential}' changed while this run held it; the run stops and ` +
        'the next one starts from the stored state.',
    );
  }
}
