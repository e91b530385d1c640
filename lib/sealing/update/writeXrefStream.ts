import type { PDFRef } from 'pdf-lib';

import type { TrailerEntries } from './TrailerEntries.js';
import { consecutiveRuns, printTrailerEntries } from './TrailerEntries.js';
import type { UpdateWriter, WrittenObject } from './UpdateWriter.js';

/**
 * Ends the update with an xref stream as object `ref` (ISO 32000-1, 7.5.8), listing every object
 * written and itself, then `startxref` and `%%EOF`. The data is left unfiltered: it is a few
 * dozen bytes.
 */
export function writeXrefStream(writer: UpdateWriter, ref: PDFRef, trailer: TrailerEntries): void {
  const offset = writer.position - writer.headerOffset;
  const self = { objectNumber: ref.objectNumber, generation: ref.generationNumber, offset };
  const objects: WrittenObject[] = [...writer.objects, self];
  const runs = consecutiveRuns(objects);
  const offsetWidth = byteWidth(Math.max(...objects.map((object) => object.offset)));
  const generationWidth = byteWidth(Math.max(...objects.map((object) => object.generation)));

  const rowWidth = 1 + offsetWidth + generationWidth;
  const data = Buffer.alloc(objects.length * rowWidth);
  let row = 0;
  for (const object of runs.flat()) {
    data.writeUInt8(1, row);
    data.writeUIntBE(object.offset, row + 1, offsetWidth);
    data.writeUIntBE(object.generation, row + 1 + offsetWidth, generationWidth);
    row += rowWidth;
  }
  const index = runs.map((run) => `${run[0]?.objectNumber} ${run.length}`).join(' ');

  writer.beginObject(ref);
  writer.write(
    `<< /Type /XRef ${printTrailerEntries(trailer, objects)} /W [1 ${offsetWidth} ` +
      `${generationWidth}] /Index [${index}] /Length ${data.byteLength} >>\nstream\n`,
  );
  writer.write(data);
  writer.write('\nendstream');
  writer.endObject();
  writer.write(`startxref\n${offset}\n%%EOF\n`);
}

// Bytes needed to hold `value` big-endian; writeUIntBE takes at most 6.
function byteWidth(value: number): number {
  let width = 1;
  while (width < 6 && value >= 256 ** width) width += 1;
  return width;
}
