import { SealOpsError } from '../../errors/SealOpsError.js';

/**
 * The CMS returned for a seal does not fit the `/Contents` space reserved in the PDF. It is never
 * truncated: the seal must be planned again with a larger reservation.
 */
export class SignatureTooLargeError extends SealOpsError {
  readonly code = 'SIGNATURE_TOO_LARGE';
  // The oversized CMS is this service's own output, not something the caller sent.
  readonly httpStatus = 502;
  readonly cmsBytes: number;
  readonly capacityBytes: number;

  constructor(cmsBytes: number, capacityBytes: number) {
    super(
      `The signature (CMS) is ${cmsBytes} bytes but only ${capacityBytes} bytes were reserved ` +
        'for /Contents; seal again with a larger reservation (contentsCapacity).',
    );
    this.cmsBytes = cmsBytes;
    this.capacityBytes = capacityBytes;
  }
}
