import { SealOpsError } from '../../errors/SealOpsError.js';
import { describeLocation, type BlobLocation } from '../BlobLocation.js';

/** The destination blob is leased by someone else, who alone may write it now. */
export class DestinationLeasedError extends SealOpsError {
  readonly code = 'DESTINATION_LEASED';
  readonly httpStatus = 409;

  constructor(destination: BlobLocation) {
    super(
      `The destination blob ${describeLocation(destination)} is leased by another process, so ` +
        'it cannot be written now; nothing was written: try again once the lease is released.',
    );
  }
}
