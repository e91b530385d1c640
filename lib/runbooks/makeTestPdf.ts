import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A one-page PDF saying what it is, for the test seal after a recovery. Made in memory. */
export async function makeTestPdf(incidentId: string | undefined, now: Date): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const page = document.addPage([595, 842]);
  const font = await document.embedFont(StandardFonts.Helvetica);
  page.drawText('sealops recovery test seal', { x: 72, y: 760, size: 18, font });
  page.drawText(`${incidentId ?? 'no incident'} - ${now.toISOString()}`, {
    x: 72,
    y: 730,
    size: 11,
    font,
  });
  document.setTitle('sealops recovery test seal');
  document.setCreationDate(now);
  document.setModificationDate(now);
  return document.save({ useObjectStreams: false });
}
