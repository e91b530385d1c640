import { open } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';

import { noise } from './noise.js';

/** A PDF written by {@link writeLargePdf}. */
export interface LargePdf {
  readonly path: string;
  readonly bytes: number;
  readonly pages: number;
}

const imageSide = 256;
// A 256 x 256 RGB noise image compresses to about its raw size.
const bytesPerPage = imageSide * imageSide * 3;

/**
 * Writes a classic-xref PDF of about `megabytes` MB to `path`, the way the reference benchmarks
 * were made: each A4 page has a heading, 40 lines of text and its own incompressible 256 x 256
 * RGB noise image. Streamed to disk page by page, so multi-gigabyte files cost flat memory; the
 * same arguments always give the same bytes.
 */
export async function writeLargePdf(path: string, megabytes: number, seed = 1): Promise<LargePdf> {
  const pages = Math.max(1, Math.round((megabytes * 1024 * 1024) / bytesPerPage));
  const file = await open(path, 'w');
  const offsets: number[] = [];
  let position = 0;
  const write = async (content: string | Buffer): Promise<void> => {
    const chunk = typeof content === 'string' ? Buffer.from(content, 'latin1') : content;
    await file.write(chunk);
    position += chunk.byteLength;
  };
  const object = async (objectNumber: number, body: string, data?: Buffer): Promise<void> => {
    offsets[objectNumber] = position;
    await write(`${objectNumber} 0 obj\n${body}\n`);
    if (data)
      await write(Buffer.concat([Buffer.from('stream\n'), data, Buffer.from('\nendstream\n')]));
    await write('endobj\n');
  };

  try {
    await write('%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n');
    await object(3, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
    const kids: string[] = [];
    for (let page = 0; page < pages; page += 1) {
      const [pageNumber, contentNumber, imageNumber] = [4 + page * 3, 5 + page * 3, 6 + page * 3];
      kids.push(`${pageNumber} 0 R`);
      await object(
        pageNumber,
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${contentNumber} 0 R ` +
          `/Resources << /Font << /F1 3 0 R >> /XObject << /Im ${imageNumber} 0 R >> >> >>`,
      );
      const content = deflateSync(pageContent(page + 1));
      await object(
        contentNumber,
        `<< /Filter /FlateDecode /Length ${content.byteLength} >>`,
        content,
      );
      const image = deflateSync(noise(bytesPerPage, seed, page), { level: 1 });
      await object(
        imageNumber,
        `<< /Type /XObject /Subtype /Image /Width ${imageSide} /Height ${imageSide} ` +
          `/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length ${image.byteLength} >>`,
        image,
      );
    }
    await object(2, `<< /Type /Pages /Count ${pages} /Kids [${kids.join(' ')}] >>`);
    await object(1, '<< /Type /Catalog /Pages 2 0 R >>');
    const size = 4 + pages * 3;
    const xref = position;
    const entries = ['0000000000 65535 f\r\n'];
    for (let n = 1; n < size; n += 1)
      entries.push(`${String(offsets[n]).padStart(10, '0')} 00000 n\r\n`);
    await write(`xref\n0 ${size}\n${entries.join('')}`);
    await write(`trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  } finally {
    await file.close();
  }
  return { path, bytes: position, pages };
}

function pageContent(page: number): string {
  const lines = [`BT /F1 14 Tf 56 790 Td (Benchmark page ${page}) Tj ET`];
  for (let line = 0; line < 40; line += 1) {
    lines.push(
      `BT /F1 9 Tf 56 ${760 - line * 12} Td (Line ${line + 1} of page ${page}: ` +
        'the quick brown fox jumps over the lazy dog.) Tj ET',
    );
  }
  lines.push(`q 128 0 0 128 411 600 cm /Im Do Q`);
  return lines.join('\n');
}
