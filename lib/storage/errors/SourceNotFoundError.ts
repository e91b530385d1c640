import { SealOpsError } from '../../errors/SealOpsError.js';
import { describeLocation, type BlobLocation } from '../BlobLocation.js';

/** The blob to seal does not exist, or its container does not. */
export class SourceNotFoundError extends SealOpsError {
  readonly code = 'SOURCE_NOT_FOUND';
  readonly httpStatus = 404;

  constructor(source: BlobLocation) {
    super(
      `The source blob ${describeLocation(source)} does not exist; check the container and ` +
        'blob names (they are case-sensitive) and that the upload has finished.',
    );
  }
}
