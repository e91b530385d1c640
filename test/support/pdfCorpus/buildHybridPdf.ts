import { deflateSync } from 'node:zlib';

import { PdfBuilder } from './PdfBuilder.js';

/**
 * A two-page hybrid-reference file (ISO 32000-1, 7.5.8.4), which no library at hand writes: the
 * catalog, page tree and pages sit in an object stream listed only by the xref stream that the
 * last trailer names in /XRefStm. The xref stream uses the PNG Up predictor.
 */
export function buildHybridPdf(): Buffer {
  const builder = new PdfBuilder().write('%PDF-1.5\n%\u00e2\u00e3\u00cf\u00d3\n');
  for (const [objectNumber, page] of [
    [5, 1],
    [6, 2],
  ] as const) {
    const content = `BT /F1 24 Tf 72 720 Td (Hybrid reference, page ${page}) Tj ET`;
    builder.stream(objectNumber, '/Filter /FlateDecode', deflateSync(content));
  }
  builder.object(7, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  builder.object(8, '<< /Producer (sealops test corpus) >>');

  const compressed = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>',
    ...[5, 6].map(
      (content) =>
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] ` +
        `/Resources << /Font << /F1 7 0 R >> >> /Contents ${content} 0 R >>`,
    ),
  ];
  let body = '';
  const header: string[] = [];
  compressed.forEach((object, index) => {
    header.push(`${index + 1} ${body.length}`);
    body += `${object}\n`;
  });
  const headerText = `${header.join(' ')}\n`;
  builder.stream(
    9,
    `/Type /ObjStm /N ${compressed.length} /First ${headerText.length} /Filter /FlateDecode`,
    deflateSync(headerText + body),
  );

  // Rows of [type, stream number (2 bytes), index], each behind the PNG "Up" filter byte.
  const rows = compressed.map((_, index) => [2, 0, 9, index]);
  const predicted: number[] = [];
  rows.forEach((row, r) => {
    predicted.push(2, ...row.map((byte, i) => (byte - (rows[r - 1]?.[i] ?? 0)) & 0xff));
  });
  const xrefStream = builder.position;
  builder.stream(
    10,
    '/Type /XRef /Size 11 /W [1 2 1] /Index [1 4] /Filter /FlateDecode ' +
      '/DecodeParms << /Predictor 12 /Columns 4 >>',
    deflateSync(Buffer.from(predicted)),
  );

  // The main section lists the objects hidden in the object stream as free, for PDF 1.4
  // readers; the update section after it (empty, as Word writes it) names the xref stream in
  // /XRefStm, which PDF 1.5 readers search before the main section.
  const id = '<6879627269642D7265666572656E6365>';
  const trailer = `/Size 11 /Root 1 0 R /Info 8 0 R /ID [${id} ${id}]`;
  const main = builder.xrefTable([5, 6, 7, 8, 9, 10], [0, 1, 2, 3, 4]);
  builder.write(`trailer\n<< ${trailer} >>\nstartxref\n${main}\n%%EOF\n`);
  const update = builder.xrefTable([]);
  builder.write(
    `trailer\n<< ${trailer} /Prev ${main} /XRefStm ${xrefStream} >>\n` +
      `startxref\n${update}\n%%EOF\n`,
  );
  return builder.toBuffer();
}
