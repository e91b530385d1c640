import { SealOpsError } from '../../errors/SealOpsError.js';

/** The app does not work yet after recovery: the health check or the test seal failed. */
export class RecoveryCheckFailedError extends SealOpsError {
  readonly code = 'RECOVERY_CHECK_FAILED';
  readonly httpStatus = 502;

  constructor(check: 'health check' | 'test seal', what: string) {
    super(
      `The ${check} failed: ${what}. Run 'sealops status' and 'sealops investigate' to see why, ` +
        'fix it, then run recover again.',
    );
  }
}
