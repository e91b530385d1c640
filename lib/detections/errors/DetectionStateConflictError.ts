import { SealOpsError } from '../../errors/SealOpsError.js';

/**
 * The alert timer could not save its state because other writers kept changing it. Nothing from
 * this run was raised; the detections run again on the next tick.
 */
export class DetectionStateConflictError extends SealOpsError {
  readonly code = 'DETECTION_STATE_CONFLICT';
  readonly httpStatus = 409;

  constructor(attempts: number) {
    super(
      `The detection state changed under this run ${attempts} times in a row, so no alert was ` +
        'raised; check that only one alert timer and no other tool writes sealops-detections/state.json.',
    );
  }
}
