import type { PDFObject } from 'pdf-lib';
import { PDFContext } from 'pdf-lib';

import { DamagedPdfError } from '../errors/DamagedPdfError.js';
import type { PdfSource } from '../PdfSource.js';
import { SliceReader, SliceTooShort, SyntaxProblem } from './SliceReader.js';

const firstSliceBytes = 4096;
// An object larger than this (a page with a hundred thousand annotations) is treated as damaged
// rather than read into memory.
const maxSliceBytes = 16 * 1024 * 1024;

/** An indirect object as read from the file. */
export interface IndirectObject {
  readonly objectNumber: number;
  readonly generation: number;
  readonly value: PDFObject;
  /** For a stream, where its data starts (an offset like the xref's); the data is not read. */
  readonly streamDataOffset?: number;
}

/**
 * Ranged, parsed reads from a PDF. Offsets are those written in the file (xref entries,
 * `startxref`, `/Prev`), which count from the `%PDF-` header: `headerOffset` is added to each
 * before reading, for files with junk before the header whose writer did not count it.
 */
export class PdfFile {
  /** pdf-lib's objects need a context; nothing is ever registered in it. */
  readonly context = PDFContext.create();

  constructor(
    readonly source: PdfSource,
    readonly headerOffset: number,
  ) {}

  /**
   * Runs `parse` over a slice starting at `offset`, growing the slice while what it reads runs
   * past its end. `what` names the place in errors, such as "object 12 at offset 3456".
   */
  async parseAt<T>(offset: number, what: string, parse: (reader: SliceReader) => T): Promise<T> {
    const position = offset + this.headerOffset;
    if (offset < 0 || position >= this.source.size) {
      throw new DamagedPdfError(
        `${what} lies outside the file, which has ${this.source.size} bytes`,
      );
    }
    for (let length = firstSliceBytes; ; length *= 4) {
      const slice = await this.source.read(position, length);
      const atEndOfFile = position + slice.byteLength >= this.source.size;
      try {
        return parse(new SliceReader(slice, this.context, atEndOfFile));
      } catch (error) {
        if (error instanceof SyntaxProblem) {
          throw new DamagedPdfError(
            `${what} cannot be parsed (at byte ${position + error.offset})`,
          );
        }
        if (!(error instanceof SliceTooShort)) throw error;
        if (atEndOfFile || length >= maxSliceBytes) {
          throw new DamagedPdfError(`${what} does not end within ${length} bytes`);
        }
      }
    }
  }

  /** Reads the indirect object at `offset`, checking that it is object `expectedNumber`. */
  readIndirectObject(offset: number, expectedNumber: number): Promise<IndirectObject> {
    const what = `object ${expectedNumber} at offset ${offset}`;
    return this.parseAt(offset, what, (reader) => {
      const header = reader.readObjectHeader();
      if (header?.objectNumber !== expectedNumber) {
        const found = header ? `object ${header.objectNumber} starts` : 'no object starts';
        throw new DamagedPdfError(
          `the xref entry for object ${expectedNumber} points at offset ${offset}, where ${found}`,
        );
      }
      return readBody(reader, offset, header.objectNumber, header.generation);
    });
  }

  /** Reads the indirect object at `offset`, whichever it is. */
  readAnyIndirectObject(offset: number, what: string): Promise<IndirectObject | undefined> {
    return this.parseAt(offset, what, (reader) => {
      const header = reader.readObjectHeader();
      return header && readBody(reader, offset, header.objectNumber, header.generation);
    });
  }

  /** Reads exactly `length` bytes at `offset`; `what` names them in errors. */
  async readBytes(offset: number, length: number, what: string): Promise<Uint8Array> {
    const position = offset + this.headerOffset;
    if (position + length > this.source.size) {
      throw new DamagedPdfError(`${what} runs past the end of the file`);
    }
    return this.source.read(position, length);
  }
}

function readBody(
  reader: SliceReader,
  sliceOffset: number,
  objectNumber: number,
  generation: number,
): IndirectObject {
  const value = reader.readObject();
  const dataStart = reader.readStreamStart();
  if (dataStart === undefined) return { objectNumber, generation, value };
  return { objectNumber, generation, value, streamDataOffset: sliceOffset + dataStart };
}
