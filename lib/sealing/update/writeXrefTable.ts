import { UnsupportedPdfError } from '../errors/UnsupportedPdfError.js';
import type { TrailerEntries } from './TrailerEntries.js';
import { consecutiveRuns, printTrailerEntries } from './TrailerEntries.js';
import type { UpdateWriter } from './UpdateWriter.js';

// A classic entry has ten digits for the offset.
const maxTableOffset = 9_999_999_999;

/**
 * Ends the update with a classic xref table listing every object written (ISO 32000-1, 7.5.4),
 * the trailer, `startxref` and `%%EOF`.
 */
export function writeXrefTable(writer: UpdateWriter, trailer: TrailerEntries): void {
  const offset = writer.position - writer.headerOffset;
  if (offset > maxTableOffset) {
    throw new UnsupportedPdfError(`a classic xref table beyond offset ${maxTableOffset}`);
  }
  const lines = ['xref'];
  for (const run of consecutiveRuns(writer.objects)) {
    lines.push(`${run[0]?.objectNumber} ${run.length}`);
    for (const object of run) {
      const entryOffset = String(object.offset).padStart(10, '0');
      // Each entry is exactly 20 bytes: the two-byte end of line is "\r\n".
      lines.push(`${entryOffset} ${String(object.generation).padStart(5, '0')} n\r`);
    }
  }
  lines.push(
    'trailer',
    `<< ${printTrailerEntries(trailer, writer.objects)} >>`,
    'startxref',
    String(offset),
    '%%EOF',
    '',
  );
  writer.write(lines.join('\n'));
}
