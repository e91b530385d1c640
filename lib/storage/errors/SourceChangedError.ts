import { SealOpsError } from '../../errors/SealOpsError.js';
import { describeLocation, type BlobLocation } from '../BlobLocation.js';

/**
 * The source blob is not the version the seal was pinned to: it changed while it was being
 * sealed, or it was never the version the request named. Nothing was written.
 */
export class SourceChangedError extends SealOpsError {
  readonly code = 'SOURCE_CHANGED';
  readonly httpStatus = 409;

  /** @param when `before`: the request named an ETag the blob no longer has */
  constructor(source: BlobLocation, when: 'before' | 'during') {
    super(
      when === 'before'
        ? `The source blob ${describeLocation(source)} no longer has the ETag the request ` +
            'named; nothing was written: seal the current version or name its ETag.'
        : `The source blob ${describeLocation(source)} changed while it was being sealed; ` +
            'nothing was written: seal it again once nobody is writing it.',
    );
  }
}
