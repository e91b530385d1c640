import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  popGraphicsState,
  pushGraphicsState,
  StandardFonts,
} from 'pdf-lib';

import { noise } from './noise.js';

/** Pages in each sample document. */
export const pageCount = 3;
const fixedDate = new Date('2024-01-02T03:04:05Z');

/**
 * Three A4 pages of text, each with a small incompressible image, metadata fixed so that every
 * save gives the same bytes.
 */
export async function makeBaseDocument(): Promise<PDFDocument> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle('sealops test corpus');
  doc.setProducer('sealops test corpus');
  doc.setCreationDate(fixedDate);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let number = 1; number <= pageCount; number += 1) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Test page ${number}`, { x: 56, y: 780, size: 14, font });
    for (let line = 0; line < 10; line += 1) {
      page.drawText(`Line ${line + 1}: the quick brown fox jumps over the lazy dog.`, {
        x: 56,
        y: 750 - line * 12,
        size: 9,
        font,
      });
    }
    // A small incompressible image, so that each page carries binary stream data.
    const image = doc.context.flateStream(noise(32 * 32 * 3, 7, number), {
      Type: 'XObject',
      Subtype: 'Image',
      Width: 32,
      Height: 32,
      ColorSpace: 'DeviceRGB',
      BitsPerComponent: 8,
    });
    const name = page.node.newXObject('Im', doc.context.register(image));
    page.pushOperators(
      pushGraphicsState(),
      concatTransformationMatrix(64, 0, 0, 64, 475, 740),
      drawObject(name),
      popGraphicsState(),
    );
  }
  return doc;
}

/** Three blank pages, the first with a filled-in text field named Name. */
export async function makeFormDocument(): Promise<PDFDocument> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setCreationDate(fixedDate);
  for (let number = 1; number <= pageCount; number += 1) doc.addPage([595, 842]);
  const field = doc.getForm().createTextField('Name');
  field.setText('Ada');
  field.addToPage(doc.getPage(0), { x: 56, y: 700, width: 200, height: 24 });
  return doc;
}
