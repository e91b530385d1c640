import { SealOpsError } from '../../errors/SealOpsError.js';

/** The PDF is encrypted (its trailer has `/Encrypt`), and sealing one is not supported. */
export class EncryptedPdfError extends SealOpsError {
  readonly code = 'PDF_ENCRYPTED';
  readonly httpStatus = 422;

  constructor() {
    super(
      'The PDF is encrypted, and sealing encrypted PDFs is not supported; decrypt it first (for ' +
        'example with `qpdf --decrypt in.pdf out.pdf`) and send it again.',
    );
  }
}
