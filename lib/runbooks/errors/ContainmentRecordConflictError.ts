import { SealOpsError } from '../../errors/SealOpsError.js';

/** The containment record kept changing under this run: another responder is acting right now. */
export class ContainmentRecordConflictError extends SealOpsError {
  readonly code = 'CONTAINMENT_RECORD_CONFLICT';
  readonly httpStatus = 409;

  constructor(app: string, attempts: number) {
    super(
      `The containment record of '${app}' changed ${attempts} times while this run tried to ` +
        'update it; another responder is acting on the same app: agree who leads, then run again.',
    );
  }
}
