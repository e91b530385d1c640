import { SealOpsError } from '../../errors/SealOpsError.js';

/**
 * A file in kql/ is not a valid detection: metadata missing or malformed, a query without its
 * metadata or the reverse, a duplicate ID. Detections are loaded all or nothing, so one broken
 * file stops every detection from running until it is fixed.
 */
export class DetectionDefinitionError extends SealOpsError {
  readonly code = 'DETECTION_DEFINITION_INVALID';
  readonly httpStatus = 500;

  /**
   * @param file the file at fault, relative to the detections folder
   * @param problems what is wrong with it, one short clause each
   */
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`The detection file ${file} is invalid: ${problems.join('; ')}.`);
  }
}
