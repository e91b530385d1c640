import { SealOpsError } from '../../errors/SealOpsError.js';

/** The PDF is well formed but uses a feature this sealer cannot read or write. */
export class UnsupportedPdfError extends SealOpsError {
  readonly code = 'PDF_UNSUPPORTED';
  readonly httpStatus = 422;

  /**
   * @param feature the feature, in this module's own words with numbers; never text taken from the
   *   document
   */
  constructor(feature: string) {
    super(
      `The PDF uses a feature sealing does not support: ${feature}; rewrite it (for example with ` +
        '`qpdf in.pdf out.pdf`) and send it again.',
    );
  }
}
