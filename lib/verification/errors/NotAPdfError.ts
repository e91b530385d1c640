import { SealOpsError } from '../../errors/SealOpsError.js';

/** Verification was given bytes that are not a PDF: there is nothing to look for signatures in. */
export class NotAPdfError extends SealOpsError {
  readonly code = 'NOT_A_PDF';
  readonly httpStatus = 422;

  constructor(headerWindow: number, sizeBytes: number) {
    super(
      `The input (${String(sizeBytes)} bytes) is not a PDF: no %PDF- header in its first ` +
        `${String(headerWindow)} bytes; check that the whole file was passed.`,
    );
  }
}
