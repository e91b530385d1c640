import { SealOpsError } from '../../errors/SealOpsError.js';

/**
 * The PDF's cross-reference structure cannot be followed. Sealing never guesses or rebuilds a
 * broken xref: a seal over a misread document would sign something other than what readers show.
 */
export class DamagedPdfError extends SealOpsError {
  readonly code = 'PDF_DAMAGED';
  readonly httpStatus = 422;

  /**
   * @param problem what is wrong, in this module's own words with offsets and object numbers;
   *   never text taken from the document
   */
  constructor(problem: string) {
    super(
      `The PDF is damaged: ${problem}; repair it (for example with \`qpdf in.pdf out.pdf\`) and ` +
        'send it again.',
    );
  }
}
