import { SealOpsError } from '../../errors/SealOpsError.js';

/** A runbook step was applied but reading the state back did not show its effect. */
export class StepNotConfirmedError extends SealOpsError {
  readonly code = 'RUNBOOK_STEP_NOT_CONFIRMED';
  readonly httpStatus = 500;

  constructor(action: string, target: string, observed: string) {
    super(
      `The change '${action}' on ${target} was sent but reading it back shows ${observed}; ` +
        'check the app and run the command again (completed steps will be left as they are).',
    );
  }
}
