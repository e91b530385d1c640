import type { PDFRef } from 'pdf-lib';
import { PDFDict } from 'pdf-lib';

import { DamagedPdfError } from '../errors/DamagedPdfError.js';
import type { PdfTail } from '../tail/PdfTail.js';

/** The dictionary `ref` refers to; `what` names it in the error when it is something else. */
export async function lookupDict(tail: PdfTail, ref: PDFRef, what: string): Promise<PDFDict> {
  const value = await tail.lookup(ref);
  if (!(value instanceof PDFDict)) {
    throw new DamagedPdfError(`${what} (object ${ref.objectNumber}) is not a dictionary`);
  }
  return value;
}
