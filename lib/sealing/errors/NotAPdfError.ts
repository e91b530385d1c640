import { SealOpsError } from '../../errors/SealOpsError.js';

/** The document has no `%PDF-` header where one must be. */
export class NotAPdfError extends SealOpsError {
  readonly code = 'NOT_A_PDF';
  readonly httpStatus = 400;

  /** @param searchedBytes how far from the start the header was looked for */
  constructor(searchedBytes: number) {
    super(
      `The document is not a PDF: it does not start with %PDF- (looked in its first ` +
        `${searchedBytes} bytes); send the PDF file itself.`,
    );
  }
}
