import { createHash } from 'node:crypto';

import type { DigestSigner } from '../../lib/signing/DigestSigner.js';

/** Options for a hand-built one-page PDF with one invisible signature. */
export interface SignedTestPdfOptions {
  readonly signer: DigestSigner;
  /** @default 'ETSI.CAdES.detached' */
  readonly subFilter?: string;
  /** Bytes reserved for the CMS; the hex string is twice as long. @default 16_384 */
  readonly reservedBytes?: number;
  /** @default false */
  readonly timestamp?: boolean;
}

const byteRangePlaceholder = '/ByteRange [0 0000000000 0000000000 0000000000]';

/**
 * A minimal one-page PDF (classic xref, one revision) signed through `signer`: a signature field
 * whose dictionary holds a fixed-width `/ByteRange` and a zero-filled `/Contents`, hashed over
 * everything but `/Contents`, then filled in. Test-only: it stands in for the sealing core so that
 * verification can be tested on its own.
 */
export async function buildSignedTestPdf(options: SignedTestPdfOptions): Promise<Buffer> {
  const {
    signer,
    subFilter = 'ETSI.CAdES.detached',
    reservedBytes = 16_384,
    timestamp = false,
  } = options;
  const contentsHex = '0'.repeat(reservedBytes * 2);
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>',
    '<< /Type /Annot /Subtype /Widget /FT /Sig /T (Seal 1) /Rect [0 0 0 0] /F 132 /P 3 0 R /V 5 0 R >>',
    `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /${subFilter} /M (D:20261201000000Z) ` +
      `${byteRangePlaceholder} /Contents <${contentsHex}> >>`,
  ];

  let text = '%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(Buffer.byteLength(text, 'latin1'));
    text += `${String(index + 1)} 0 obj\n${body}\nendobj\n`;
  });
  const xrefOffset = Buffer.byteLength(text, 'latin1');
  text += `xref\n0 ${String(objects.length + 1)}\n0000000000 65535 f \n`;
  for (const offset of offsets) text += `${String(offset).padStart(10, '0')} 00000 n \n`;
  text += `trailer\n<< /Size ${String(objects.length + 1)} /Root 1 0 R >>\nstartxref\n${String(xrefOffset)}\n%%EOF\n`;

  const pdf = Buffer.from(text, 'latin1');
  const contentsStart = pdf.indexOf(`/Contents <`) + '/Contents '.length;
  const contentsEnd = contentsStart + contentsHex.length + 2;
  const byteRange = `/ByteRange [0 ${pad(contentsStart)} ${pad(contentsEnd)} ${pad(pdf.byteLength - contentsEnd)}]`;
  pdf.write(byteRange, pdf.indexOf(byteRangePlaceholder), 'latin1');

  const digest = createHash('sha256')
    .update(pdf.subarray(0, contentsStart))
    .update(pdf.subarray(contentsEnd))
    .digest();
  const { cms } = await signer.sign(digest, { timestamp });
  if (cms.byteLength > reservedBytes) throw new Error('The CMS does not fit the reserved space.');
  pdf.write(Buffer.from(cms).toString('hex'), contentsStart + 1, 'latin1');
  return pdf;
}

function pad(value: number): string {
  return String(value).padStart(10, '0');
}
