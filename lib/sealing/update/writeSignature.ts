import type { PDFRef } from 'pdf-lib';

import type { SealSettings } from './checkSealOptions.js';
import { pdfDate } from './pdfDate.js';
import { pdfTextString } from './pdfTextString.js';
import type { UpdateWriter } from './UpdateWriter.js';

/** Where the signature dictionary's placeholders landed, in offsets of the sealed document. */
export interface SignaturePlaceholders {
  /** The first byte inside `/ByteRange [...]`. */
  readonly byteRangeStart: number;
  /** How many bytes the brackets enclose, all spaces for now. */
  readonly byteRangeLength: number;
  /** The `<` of the `/Contents` hex string. */
  readonly contentsStart: number;
  /** Just after the `>` of the `/Contents` hex string. */
  readonly contentsEnd: number;
}

/**
 * Writes the signature dictionary (ISO 32000-1, 12.8.1) with a blank `/ByteRange` wide enough for
 * four offsets of `offsetDigits` digits, and `/Contents` as zeros for `contentsCapacity` bytes.
 */
export function writeSignatureDictionary(
  writer: UpdateWriter,
  ref: PDFRef,
  settings: SealSettings,
  offsetDigits: number,
): SignaturePlaceholders {
  const optional = [
    settings.reason === undefined ? '' : ` /Reason ${pdfTextString(settings.reason)}`,
    settings.location === undefined ? '' : ` /Location ${pdfTextString(settings.location)}`,
    settings.contactInfo === undefined
      ? ''
      : ` /ContactInfo ${pdfTextString(settings.contactInfo)}`,
  ].join('');
  writer.beginObject(ref);
  writer.write(
    `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /${settings.subFilter} ` +
      `/M ${pdfDate(settings.signingTime)}${optional} /ByteRange [`,
  );
  const byteRangeStart = writer.position;
  // "0" and three offsets, each after a space.
  const byteRangeLength = 1 + 3 * (1 + offsetDigits);
  writer.write(`${' '.repeat(byteRangeLength)}] /Contents `);
  const contentsStart = writer.position;
  writer.write(`<${'0'.repeat(settings.contentsCapacity * 2)}>`);
  const contentsEnd = writer.position;
  writer.write(' >>');
  writer.endObject();
  return { byteRangeStart, byteRangeLength, contentsStart, contentsEnd };
}

/**
 * Writes the invisible signature widget, which is also the field (ISO 32000-1, 12.5.6.19 and
 * 12.7.4.5): zero rectangle, Print and Locked flags, on `pageRef`, valued `signatureRef`.
 */
export function writeSignatureWidget(
  writer: UpdateWriter,
  ref: PDFRef,
  fieldName: string,
  signatureRef: PDFRef,
  pageRef: PDFRef,
): void {
  writer.beginObject(ref);
  writer.write(
    `<< /Type /Annot /Subtype /Widget /FT /Sig /T ${pdfTextString(fieldName)} ` +
      `/V ${signatureRef.toString()} /Rect [0 0 0 0] /F 132 /P ${pageRef.toString()} >>`,
  );
  writer.endObject();
}
