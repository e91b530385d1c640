import { SealOpsError } from '../../errors/SealOpsError.js';
import { describeLocation, type BlobLocation } from '../BlobLocation.js';

/**
 * Someone else wrote the destination blob while this seal was running, so committing would have
 * overwritten their write unseen. Nothing was written.
 */
export class DestinationChangedError extends SealOpsError {
  readonly code = 'DESTINATION_CHANGED';
  readonly httpStatus = 409;

  constructor(destination: BlobLocation) {
    super(
      `The destination blob ${describeLocation(destination)} was written by someone else while ` +
        'the seal was running; nothing was written: check it and seal again.',
    );
  }
}
