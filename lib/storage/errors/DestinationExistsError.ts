import { SealOpsError } from '../../errors/SealOpsError.js';
import { describeLocation, type BlobLocation } from '../BlobLocation.js';

/** The destination blob exists and the request did not ask to overwrite it. */
export class DestinationExistsError extends SealOpsError {
  readonly code = 'DESTINATION_EXISTS';
  readonly httpStatus = 409;

  constructor(destination: BlobLocation) {
    super(
      `The destination blob ${describeLocation(destination)} already exists and was left as it ` +
        'was; choose another name, or set "overwrite": true to replace it.',
    );
  }
}
