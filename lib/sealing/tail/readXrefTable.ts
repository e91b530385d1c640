import { PDFDict } from 'pdf-lib';

import { DamagedPdfError } from '../errors/DamagedPdfError.js';
import type { PdfFile } from './PdfFile.js';
import { SliceReader, SliceTooShort, SyntaxProblem } from './SliceReader.js';
import type { XrefSection, XrefSubsection } from './XrefSection.js';

const windowBytes = 64 * 1024;
const entriesPerBatch = 2048;
// Standard entries are 20 bytes; some writers pad them, so batches read with slack.
const bytesPerEntry = 24;

/**
 * Reads the classic cross-reference table at `offset` (ISO 32000-1, 7.5.4) and its trailer. The
 * table is read sequentially in windows, entries token by token, so tables whose lines are not
 * exactly 20 bytes still read.
 */
export async function readXrefTable(file: PdfFile, offset: number): Promise<XrefSection> {
  const what = `the xref table at offset ${offset}`;
  const window = new TableWindow(file, offset, what);
  await window.step(16, (reader) => {
    if (!reader.readKeyword('xref')) {
      throw new DamagedPdfError(`${what} does not start with "xref"`);
    }
  });

  const subsections: XrefSubsection[] = [];
  for (;;) {
    const header = await window.step(64, (reader) => {
      const first = reader.readInteger();
      if (first === undefined) {
        if (reader.readKeyword('trailer')) return undefined;
        throw new DamagedPdfError(
          `${what} has neither a subsection nor a trailer at entry ${count(subsections)}`,
        );
      }
      const entries = reader.readInteger();
      // Each entry takes at least 18 bytes; a larger count than the file can hold is garbage,
      // and must not size the arrays below.
      if (entries === undefined || entries * 18 > file.source.size) {
        throw new DamagedPdfError(`${what} has a subsection header without a valid count`);
      }
      return { first, entries };
    });
    if (header === undefined) break;
    subsections.push(await readSubsection(window, header.first, header.entries, what));
  }

  const trailer = await file.parseAt(window.offset, `the trailer of ${what}`, (reader) =>
    reader.readObject(),
  );
  if (!(trailer instanceof PDFDict)) {
    throw new DamagedPdfError(`the trailer of ${what} is not a dictionary`);
  }
  return { kind: 'table', offset, trailer, subsections };
}

async function readSubsection(
  window: TableWindow,
  first: number,
  entries: number,
  what: string,
): Promise<XrefSubsection> {
  const subsection = {
    first,
    count: entries,
    types: new Uint8Array(entries),
    locations: new Float64Array(entries),
    numbers: new Uint32Array(entries),
  };
  let done = 0;
  while (done < entries) {
    const batch = Math.min(entriesPerBatch, entries - done);
    await window.step(batch * bytesPerEntry + 64, (reader) => {
      for (let index = done; index < done + batch; index += 1) {
        const location = reader.readInteger();
        const number = reader.readInteger();
        const type = reader.readByte();
        if (location === undefined || number === undefined || (type !== 0x6e && type !== 0x66)) {
          throw new DamagedPdfError(`${what} has a malformed entry for object ${first + index}`);
        }
        subsection.types[index] = type === 0x6e ? 1 : 0;
        subsection.locations[index] = location;
        subsection.numbers[index] = number;
      }
    });
    done += batch;
  }
  return subsection;
}

function count(subsections: readonly XrefSubsection[]): number {
  return subsections.reduce((sum, subsection) => sum + subsection.count, 0);
}

// A window onto the file that slides forward as the table is read.
class TableWindow {
  private start: number;
  private reader: SliceReader;

  constructor(
    private readonly file: PdfFile,
    offset: number,
    private readonly what: string,
  ) {
    this.start = offset;
    this.reader = new SliceReader(new Uint8Array(0), file.context, false);
  }

  /** Where reading stands, as an offset like the xref's. */
  get offset(): number {
    return this.start + this.reader.position;
  }

  /**
   * Runs `read`, which needs about `bytes` bytes; when they run out mid-way, slides the window to
   * where `read` began, makes it larger, and runs `read` again.
   */
  async step<T>(bytes: number, read: (reader: SliceReader) => T): Promise<T> {
    for (let wanted = Math.max(bytes, windowBytes); ; wanted *= 2) {
      const before = this.reader.position;
      try {
        return read(this.reader);
      } catch (error) {
        if (error instanceof SyntaxProblem) {
          throw new DamagedPdfError(
            `${this.what} is malformed at byte ${this.start + error.offset}`,
          );
        }
        if (!(error instanceof SliceTooShort)) throw error;
        this.reader.position = before;
        await this.slide(wanted);
      }
    }
  }

  private async slide(length: number): Promise<void> {
    const { source, headerOffset, context } = this.file;
    this.start += this.reader.position;
    const position = this.start + headerOffset;
    if (position >= source.size) {
      throw new DamagedPdfError(`${this.what} runs past the end of the file`);
    }
    const bytes = await source.read(position, length);
    const atEndOfFile = position + bytes.byteLength >= source.size;
    this.reader = new SliceReader(bytes, context, atEndOfFile);
  }
}
