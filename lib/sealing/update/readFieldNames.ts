import type { PDFArray } from 'pdf-lib';
import { PDFDict, PDFHexString, PDFName, PDFString } from 'pdf-lib';

import type { PdfTail } from '../tail/PdfTail.js';

/**
 * The partial names (`/T`) of the top-level fields in an AcroForm's `/Fields`, where a new
 * top-level field's name must not collide. Fields that cannot be read are skipped: they cannot
 * collide with a name any reader would show either.
 */
export async function readFieldNames(tail: PdfTail, fields: PDFArray): Promise<Set<string>> {
  const names = new Set<string>();
  // One field at a time: the reads share cached blocks, and a form of thousands of fields must
  // not fire thousands of ranged reads at once.
  for (const item of fields.asArray()) {
    const field = await tail.resolve(item);
    if (!(field instanceof PDFDict)) continue;
    const title = await tail.resolve(field.get(PDFName.of('T')));
    if (title instanceof PDFString || title instanceof PDFHexString) names.add(title.decodeText());
  }
  return names;
}

export { PDFArray };
